import Foundation
import Losses

extension DirectiveExpander {
    // MARK: - loss-family

    /// The family tree of the catalog (`Catalog.relations`), drawn by Graphviz: the whole tree, or
    /// with `around: <id>` the loss and the losses it is directly related to. Every node links to
    /// its reference page; labels are in the page's language.
    func family(_ spec: DirectiveSpec) throws -> Expansion {
        var center: String?
        if let node = spec.node("around") {
            let id = try spec.string("around") ?? ""
            guard Catalog.ids.contains(id) else {
                throw spec.error("unknown loss '\(id)'", at: node,
                                 hint: Catalog.closest(to: id, in: Catalog.ids).map { "did you mean '\($0)'?" } ?? "see `lossbook list` for the ids")
            }
            center = id
        }
        let relations = center.map(Catalog.relations(around:)) ?? Catalog.relations
        var ids: [String] = []
        for relation in relations { for id in [relation.from, relation.to] where !ids.contains(id) { ids.append(id) } }
        if let center, !ids.contains(center) { ids.append(center) }
        func name(_ id: String) -> String { (try? self.name(id)) ?? id }
        let title = try spec.string("title")
            ?? center.map { text("family_around").utf8Replacing("{name}", with: name($0)) } ?? text("family")
        let source = Self.dot(ids: ids, relations: relations, center: center, name: name, kindLabel: kindLabel)
        let description = text("family_desc") + " " + relations.map {
            "\(name($0.from)) — \(kindLabel($0.kind)) → \(name($0.to)) (\($0.source))"
        }.joined(separator: "; ")
        // The figure is the same for the same DOT source, title and description (a page or a site
        // may draw one tree many times): drawn and fitted once per process.
        let html = try Self.figures.value(source + "\u{0}" + title + "\u{0}" + description) {
            let svg: String
            do {
                svg = try context.graphviz.svg(source)
            } catch is Graphviz.Missing {
                throw spec.error("Graphviz 'dot' not found: loss-family draws its diagram with it",
                                 hint: "apt-get install graphviz (or `make deps`)")
            } catch let failed as Graphviz.Failed {
                throw spec.error(failed.description)
            }
            let inline = Self.inlineSVG(svg, idPrefix: "family-" + BlockOutput.fenceLineToken, title: title, description: description)
            return "<figure class=\"executed family\">\n\(inline)\n<figcaption>\(escapeHTML(title))</figcaption>\n</figure>\n"
        }
        return Expansion(output: .figure(html), mentions: Set(ids), fixes: [])
    }

    private static let figures = ProcessMemo<String>()

    func kindLabel(_ kind: LossRelation.Kind) -> String {
        switch kind {
        case .specialCaseOf: return text("family_special_case")
        case .generalises: return text("family_generalises")
        case .combines: return text("family_combines")
        case .reweights: return text("family_reweights")
        }
    }

    /// The DOT source: derived losses below the losses they build on (`rankdir=BT`), one fill per
    /// category (CSS classes, so the page's light or dark palette applies), the edge's kind as its
    /// label and its source as its tooltip.
    static func dot(ids: [String], relations: [LossRelation], center: String?, name: (String) -> String,
                    kindLabel: (LossRelation.Kind) -> String) -> String {
        let q = Graphviz.quote
        var dot = "digraph family {\n  rankdir=RL; bgcolor=\"transparent\"; nodesep=0.15; ranksep=0.35;\n"
        dot += "  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\", fontsize=12, height=0.3, fillcolor=\"#eef3f8\", color=\"#5a6b7d\"];\n"
        dot += "  edge [fontname=\"sans-serif\", fontsize=10, color=\"#7a8590\", fontcolor=\"#4a5560\", arrowsize=0.7];\n"
        for id in ids {
            let category = (try? Catalog.descriptor(for: id).category.rawValue) ?? "none"
            var classes = "lbn lbcat" + category.filter(\.isLetter)
            if id == center { classes += " lbcenter" }
            dot += "  \(q(id)) [label=\(q(wrap(name(id)))), URL=\(q("ref:" + id)), tooltip=\(q(name(id))), class=\(q(classes))"
            if id == center { dot += ", penwidth=2" }
            dot += "];\n"
        }
        for r in relations {
            let style: String
            switch r.kind {
            case .specialCaseOf: style = "dotted"
            case .generalises: style = "solid"
            case .combines: style = "dashed"
            case .reweights: style = "solid"
            }
            let kindClass = "lbk" + r.kind.rawValue.filter(\.isLetter)
            dot += "  \(q(r.from)) -> \(q(r.to)) [label=\(q(kindLabel(r.kind))), style=\(style), tooltip=\(q(r.source)), class=\(q("lbe " + kindClass))];\n"
        }
        return dot + "}\n"
    }

    /// A node label on lines of about 18 columns (a CJK character counts two), so that long names
    /// ("Distance map Penalized Cross Entropy (DPCE)") do not stretch the diagram across the page.
    static func wrap(_ label: String, width: Int = 18) -> String {
        func columns(_ s: Substring) -> Int { s.reduce(0) { $0 + ($1.unicodeScalars.first!.value > 0x2E80 ? 2 : 1) } }
        var lines: [String] = []
        var line = ""
        for word in label.split(separator: " ") {
            if !line.isEmpty, columns(Substring(line)) + 1 + columns(word) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// `dot`'s SVG made fit for a page: no prolog or comments, `dot`'s own `<title>`s dropped (the
    /// figure has one accessible name), ids prefixed (several diagrams on a page), sized by the
    /// page's width, and a scoped style with a light and a dark palette.
    static func inlineSVG(_ svg: String, idPrefix: String, title: String, description: String) -> String {
        let p = SVGText.identifier(idPrefix, fallback: "family")
        guard let start = svg.range(of: "<svg") else { return "" }
        // Graphviz's comments and node titles go (the figure gets one title of its own), ids get
        // the block's prefix; a byte scan, as the diagram is tens of kilobytes.
        let body = String(svg[start.lowerBound...])
            .utf8Replacing("<!--") { after in
                guard let close = after.firstOffset(of: "-->") else { return ("<!--", 0) }
                return ("", Self.past(close + 3, newlineIn: after))
            }
            .utf8Replacing("<title>") { after in
                // Only a title of plain text (`<title>[^<]*</title>`) is removed.
                guard let close = after.firstOffset(of: "</title>"), !after[..<close].contains(UInt8(ascii: "<")) else { return ("<title>", 0) }
                return ("", Self.past(close + 8, newlineIn: after))
            }
            .utf8Replacing(" id=\"", with: " id=\"\(p)-")
        guard let open = body.range(of: ">") else { return "" }
        let tag = String(body[..<open.lowerBound])
        var widthPt = 600.0
        if let m = tag.range(of: #"width="[0-9.]+pt""#, options: .regularExpression) {
            widthPt = Double(tag[m].dropFirst(7).dropLast(3)) ?? widthPt
        }
        var newTag = tag.replacingOccurrences(of: #"\s(width|height)="[^"]*""#, with: "", options: .regularExpression)
        newTag += " class=\"lb-family \(p)\" width=\"100%\" style=\"max-width:\(SVGText.number((widthPt * 4 / 3).rounded()))px;height:auto\""
        newTag += " role=\"img\" aria-labelledby=\"\(p)-title\" aria-describedby=\"\(p)-desc\""
        var out = newTag + ">\n"
        out += "<title id=\"\(p)-title\">\(SVGText.escape(title))</title>\n"
        out += "<desc id=\"\(p)-desc\">\(SVGText.escape(description))</desc>\n"
        out += "<style>\(style(p))</style>"
        out += body[open.upperBound...]
        return out
    }

    /// `end`, or one more when a newline follows there.
    static func past(_ end: Int, newlineIn bytes: UnsafeBufferPointer<UInt8>) -> Int {
        end < bytes.count && bytes[end] == UInt8(ascii: "\n") ? end + 1 : end
    }

    /// Fills per category, light then dark; `currentColor`-free so that the boxes read on both.
    static func style(_ p: String) -> String {
        let light: [(String, String)] = [
            ("regression", "#e8f1fa"), ("classification", "#eef0fb"), ("distributionbased", "#e6f4ee"),
            ("regionbased", "#fdf1e3"), ("boundarybased", "#f7e9f1"), ("compound", "#f2f2e4"), ("regularization", "#eeeeee"),
            ("detection", "#e9f3f6"),
        ]
        let dark: [(String, String)] = [
            ("regression", "#1d2c3b"), ("classification", "#242840"), ("distributionbased", "#17322a"),
            ("regionbased", "#3a2c18"), ("boundarybased", "#36202e"), ("compound", "#2f2f1c"), ("regularization", "#2a2a2a"),
            ("detection", "#1a3138"),
        ]
        var css = ".\(p) a{cursor:pointer}.\(p) .node path,.\(p) .node polygon{stroke:#5a6b7d}.\(p) .node text{fill:#1b2733}"
        css += ".\(p) .edge path{stroke:#7a8590}.\(p) .edge polygon{fill:#7a8590;stroke:#7a8590}.\(p) .edge text{fill:#4a5560}"
        css += ".\(p) .lbcenter path{stroke:#b8741a}.\(p) a:hover path,.\(p) a:focus path{stroke-width:2}"
        for (c, fill) in light { css += ".\(p) .lbcat\(c) path{fill:\(fill)}" }
        css += "@media (prefers-color-scheme: dark){"
        css += ".\(p) .node path,.\(p) .node polygon{stroke:#8aa0b6}.\(p) .node text{fill:#e6edf3}"
        css += ".\(p) .edge path{stroke:#8b96a1}.\(p) .edge polygon{fill:#8b96a1;stroke:#8b96a1}.\(p) .edge text{fill:#aab4be}"
        css += ".\(p) .lbcenter path{stroke:#e0a040}"
        for (c, fill) in dark { css += ".\(p) .lbcat\(c) path{fill:\(fill)}" }
        return css + "}"
    }
}
