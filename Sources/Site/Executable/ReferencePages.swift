import Foundation
import Losses

/// One page per loss and language, generated from the catalog as markdown with executable blocks,
/// so it goes through exactly the pipeline (and the checks) of a hand-written note.
///
/// `site/<lang>/reference/<id>/` for every id, and `site/<lang>/reference/` grouping them by
/// category. The pages' code facts come from the catalog (formulas, parameter specs, peer calls,
/// citation), their sentences from the catalog prose of the language (`CatalogProse`: names,
/// parameter descriptions, input convention, gradient, peer notes, notes, category names), their
/// headings from the theme's strings. Where the language lacks a text the source language's is
/// shown, under a notice.
struct ReferencePages {
    let language: String
    let strings: [String: String]
    let prose: CatalogProse
    /// How the source language names itself (`中文`), for the fallback notice.
    let sourceLanguageName: String

    static let folder = "reference"
    /// Where the list of notes that mention a loss goes (an HTML block, replaced when rendering).
    static let mentionsSlot = "<!--lossbook:mentions-->"
    /// After the notes in the navigation.
    static let weight = 1000

    func text(_ key: String) -> String { strings[key] ?? key }

    /// Catalog prose in this page's language; a fallback to the source language is recorded.
    private final class Reader {
        let prose: CatalogProse
        let language: String
        var fellBack = false
        init(_ prose: CatalogProse, _ language: String) { self.prose = prose; self.language = language }
        func callAsFunction(_ item: CatalogProse.Item, of id: String) -> String { record(prose.text(item, of: id, in: language)) }
        func callAsFunction(_ category: LossCategory) -> String { record(prose.category(category, in: language)) }
        private func record(_ text: CatalogProse.Text) -> String {
            if text.isFallback { fellBack = true }
            return text.text
        }
    }

    /// Shown above a page that borrows source-language text (never on a fully translated page).
    private func fallbackNotice(_ reader: Reader) -> String {
        guard reader.fellBack else { return "" }
        let template = strings["ref_fallback"] ?? "Part of this page is not translated yet and is shown in {language}."
        return "<p class=\"notice\" role=\"note\">\(escapeHTML(template.replacingOccurrences(of: "{language}", with: sourceLanguageName)))</p>\n\n"
    }

    func pages() -> [SourcePage] {
        var pages = [index()]
        for (offset, descriptor) in Catalog.descriptors.enumerated() {
            pages.append(page(descriptor, weight: Self.weight + 1 + offset))
        }
        return pages
    }

    private func sourcePage(_ relativePath: String, title: String, description: String, weight: Int, body: String) -> SourcePage {
        var matter = FrontMatter()
        matter.title = title
        matter.description = description
        matter.weight = weight
        return SourcePage(language: language, relativePath: relativePath,
                          displayPath: "<reference>/\(language)/\(relativePath)", frontMatter: matter, body: body,
                          bodyLineOffset: 0, contentHash: fnv1a64Hex(Array(body.utf8)), generated: true)
    }

    func index() -> SourcePage {
        let prose = Reader(self.prose, language)
        var body = text("ref_index_intro") + "\n\n"
        for category in LossCategory.allCases {
            let members = Catalog.descriptors.filter { $0.category == category }
            guard !members.isEmpty else { continue }
            body += "## \(prose(category))\n\n| \(text("ref_loss")) | id | \(text("ref_peers")) |\n| --- | --- | --- |\n"
            for d in members {
                let peers = d.peers.map(\.library).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                body += "| [\(cell(prose(.title, of: d.id)))](\(d.id).md) | `\(d.id)` | \(peers.isEmpty ? "—" : peers.joined(separator: ", ")) |\n"
            }
            body += "\n"
        }
        return sourcePage("\(Self.folder)/index.md", title: text("ref_index_title"), description: text("ref_index_intro"),
                          weight: Self.weight, body: fallbackNotice(prose) + body)
    }

    func page(_ d: LossDescriptor, weight: Int) -> SourcePage {
        let prose = Reader(self.prose, language)
        let name = prose(.title, of: d.id), category = prose(d.category)
        // A markdown link (not raw HTML), so the link checker rewrites and checks it like any other.
        var body = "[\(text("ref_index_title"))](index.md) · \(category) · `\(d.id)`\n\n"
        body += "## \(text("ref_formula"))\n\n```loss-formula \(d.id)\nall: true\n```\n\n"

        body += "## \(text("ref_parameters"))\n\n| \(text("ref_name")) | \(text("ref_default")) | \(text("ref_range")) | \(text("ref_description")) |\n| --- | --- | --- | --- |\n"
        for p in d.parameters {
            body += "| `\(p.name)` | `\(Self.describe(p.defaultValue))` | \(cell(range(p.kind))) | \(cell(prose(.parameter(p.name), of: d.id))) |\n"
        }
        body += "\n## \(text("ref_input"))\n\n\(prose(.input, of: d.id))\n\n"
        body += "## \(text("ref_gradient"))\n\n\(prose(.gradient, of: d.id))\n\n"

        body += "## \(text("ref_peers"))\n\n"
        if !d.peers.isEmpty {
            body += "| \(text("ref_library")) | \(text("ref_call")) | \(text("ref_relation")) |\n| --- | --- | --- |\n"
            for peer in d.peers {
                body += "| \(cell(peer.library)) | `\(peer.call.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'"))` | \(cell(prose(.peer(library: peer.library, call: peer.call), of: d.id))) |\n"
            }
            body += "\n"
        }
        body += witnessLine(d.id) + "\n\n"
        let implementationNotes = prose(.notes, of: d.id)
        if !implementationNotes.isEmpty { body += "## \(text("ref_notes"))\n\n\(implementationNotes)\n\n" }

        let example = Self.example(for: d.id)
        body += "## \(text("ref_example"))\n\n```loss-table \(d.id)\n\(example.table)```\n\n"
        body += "## \(text("ref_gradient_table"))\n\n```loss-grad \(d.id)\n\(example.gradient)```\n\n"
        body += "## \(text("ref_plot"))\n\n```loss-plot \(d.id)\n\(example.plot)```\n\n"
        body += "## \(text("ref_properties"))\n\n```loss-properties \(d.id)\n```\n\n"
        body += "## \(text("ref_code"))\n\n```loss-code \(d.id)\n```\n\n"
        body += "## \(text("ref_citation"))\n\n" + escapeMarkdown(d.citation.text)
            + (d.citation.url.map { " <\($0)>" } ?? "") + "\n\n"
        if !Catalog.relations(around: d.id).isEmpty {
            body += "## \(text("ref_family"))\n\n```loss-family\naround: \(d.id)\n```\n\n"
        }
        // The notes that mention the loss are known once they are rendered: the render stage fills the slot.
        body += "## \(text("ref_mentions"))\n\n\(Self.mentionsSlot)\n"
        return sourcePage("\(Self.folder)/\(d.id).md", title: name, description: name + " · " + category,
                          weight: weight, body: fallbackNotice(prose) + body)
    }

    /// What every build rechecks the loss against besides the reference (`PeerWitness`): the peer
    /// libraries with their case counts and calls; or, for a loss no peer library has, why, and the
    /// paper whose formula stands in (with the peers it reduces to at some parameter); or, for a
    /// loss with neither, that the reference is its only check.
    func witnessLine(_ id: String) -> String {
        let counts = PeerWitness.caseCounts[id] ?? [:]
        let separator = text("list_separator")
        func code(_ peer: String) -> String { "`\(DirectiveExpander.call(peer).replacingOccurrences(of: "`", with: "'"))`" }
        if let peers = PeerWitness.libraries[id], !peers.isEmpty {
            var calls: [String: [String]] = [:]
            for peer in peers { calls[String(peer.prefix { $0 != ":" }), default: []].append(peer) }
            let parts = calls.keys.sorted().map { library in
                text("ref_witness_library").replacingOccurrences(of: "{library}", with: library)
                    .replacingOccurrences(of: "{cases}", with: String(counts[library] ?? 0))
                    .replacingOccurrences(of: "{calls}", with: calls[library, default: []].map(code).joined(separator: separator))
            }
            return text("ref_witness_peers").replacingOccurrences(of: "{libraries}", with: parts.joined(separator: separator))
        }
        guard let witness = PeerWitness.witnesses[id] else { return text("ref_no_peer") }
        let kind = PeerWitness.index[id]?.reason_kind ?? "no_library"
        var line = text("witness_reason_\(kind)") + text("sentence_separator")
            + text("ref_witness_paper").replacingOccurrences(of: "{cases}", with: String(counts["paper"] ?? 0))
            .replacingOccurrences(of: "{formula}", with: "$\(witness.formula)$")
            .replacingOccurrences(of: "{citation}", with: escapeMarkdown(witness.citation))
        if !witness.reductions.isEmpty {
            line += text("sentence_separator") + text("ref_witness_reductions")
                .replacingOccurrences(of: "{reductions}", with: witness.reductions.map(code).joined(separator: separator))
        }
        return line
    }

    /// The default executable examples of a loss's reference page, by the input its family takes.
    static func example(for id: String) -> (table: String, gradient: String, plot: String) {
        let mask = "mask:\n  target: |\n    0 0 0 0 0\n    0 1 1 1 0\n    0 1 1 1 0\n    0 0 1 0 0\n    0 0 0 0 0\n"
        let series: String
        switch id {
        case "smooth-l1": series = "series: {beta: [0.5, 1, 2]}\n"
        case "huber": series = "series: {delta: [0.5, 1, 2]}\n"
        case "focal": series = "series: {gamma: [0, 0.5, 1, 2, 5]}\n"
        case "topk-threshold": series = "series: {threshold: [0.3, 0.7, 0.9]}\n"
        case "l1-regularization", "l2-regularization": series = "series: {lambda: [0.01, 0.1, 1]}\n"
        case "tversky": series = ""
        case "focal-tversky": series = "series: {gamma: [1, 1.3333333333333333, 2]}\n"
        default: series = ""
        }
        switch ProbeFamily.of(id) {
        case .residual:
            return (series + "vary: {r: [-2, -0.5, 0.25, 1, 3]}\n", series + "vary: {r: [-2, -0.5, 0.25, 1, 3]}\n", series + "x: {r: [-3, 3]}\n")
        case .margin:
            return (series + "vary: {m: [-1.5, -0.5, 0.5, 1.5, 3]}\n", series + "vary: {m: [-1.5, -0.5, 0.5, 1.5, 3]}\n", series + "x: {m: [-2, 3]}\n")
        case .classScores, .binary:
            return (series + "vary: {p: [0.1, 0.25, 0.5, 0.75, 0.95]}\n", series + "vary: {z: [-2, -1, 0.5, 1, 2]}\n",
                    series + "x: {p: [0.02, 0.98]}\n")
        case .weights:
            return (series + "vary: {w: [-2, -0.5, 0.5, 2]}\n", series + "vary: {w: [-2, -0.5, 0.5, 2]}\n", series + "x: {w: [-2, 2]}\n")
        case .divergence:
            return ("vary: {q: [0.1, 0.25, 0.5, 0.75, 0.9]}\n", "vary: {q: [0.1, 0.25, 0.6, 0.75, 0.9]}\n", "x: {q: [0.02, 0.98]}\n")
        case .features:
            return ("vary: {a: [0, 0.5, 1, 1.5, 2]}\n", "vary: {a: [0, 0.5, 1.25, 1.5, 2]}\n", "x: {a: [-1, 3]}\n")
        case .logProbabilities:
            return ("vary: {p: [0.1, 0.25, 0.5, 0.75, 0.95]}\n", "vary: {p: [0.1, 0.25, 0.5, 0.75, 0.95]}\n", "x: {p: [0.02, 0.98]}\n")
        case .torchNN:
            let (values, range) = TorchNNProbe.example(for: id)
            let vary = "vary: {x: [" + values.map { "\($0)" }.joined(separator: ", ") + "]}\n"
            return (vary, vary, "x: {x: [\(range.lowerBound), \(range.upperBound)]}\n")
        case .region:
            return (series + mask + "vary: {s: [0.1, 0.3, 0.5, 0.7, 0.9]}\n", series + mask + "vary: {s: [0.1, 0.3, 0.6, 0.7, 0.9]}\n",
                    series + mask + "x: {s: [0.02, 0.98]}\n")
        }
    }

    static func describe(_ value: ParameterValue) -> String {
        if case let .numbers(xs) = value, xs.isEmpty { return "None" }
        return value.description
    }

    func range(_ kind: ParameterKind) -> String {
        func n(_ x: Double) -> String { DirectiveExpander.format(x, digits: 6) }
        switch kind {
        case let .number(min, max, minOpen, maxOpen):
            switch (min, max) {
            case let (lo?, hi?): return "\(minOpen ? "(" : "[")\(n(lo)), \(n(hi))\(maxOpen ? ")" : "]")"
            case let (lo?, nil): return "\(minOpen ? ">" : "≥") \(n(lo))"
            case let (nil, hi?): return "\(maxOpen ? "<" : "≤") \(n(hi))"
            default: return "ℝ"
            }
        case let .integer(min, max):
            return "\(min.map(String.init) ?? "−∞") … \(max.map(String.init) ?? "∞") (\(text("ref_integer")))"
        case .bool: return "true / false"
        case let .choice(options): return options.map { "`\($0)`" }.joined(separator: ", ")
        case let .numbers(min, max):
            return text("ref_list") + (min != nil || max != nil ? " [\(min.map(n) ?? "−∞"), \(max.map(n) ?? "∞")]" : "")
        }
    }

    /// Text for a table cell: no line breaks; pipes escaped outside formulas (formulas are taken
    /// out before the table is parsed, so a `|` inside `$…$` must stay as it is).
    func cell(_ s: String) -> String {
        var out = ""
        var inMath = false
        var previous: Character = " "
        for c in s {
            if c == "$", previous != "\\" { inMath.toggle() }
            if c == "\n" { out.append(" ") } else if c == "|", !inMath { out += "\\|" } else { out.append(c) }
            previous = c
        }
        return out
    }

    func escapeMarkdown(_ s: String) -> String {
        s.replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "_", with: "\\_")
    }
}
