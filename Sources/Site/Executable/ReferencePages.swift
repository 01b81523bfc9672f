import FormulaCheck
import Foundation
import Losses
import Markdown

/// One page per loss and language, generated from the catalog as markdown with executable blocks,
/// so it goes through exactly the pipeline (and the checks) of a hand-written note.
///
/// `site/<lang>/reference/<id>/` for every id, and `site/<lang>/reference/` grouping them by
/// category. The pages' code facts come from the catalog (formulas, parameter specs, peer calls,
/// citation), their sentences from the catalog prose of the language (`CatalogProse`: names,
/// parameter descriptions, input convention, gradient, peer notes, notes, example remarks, category
/// names), their headings and the examples' captions from the theme's strings (`ReferenceExample`
/// chooses each example's input and says what it is). Where the language lacks a text the source
/// language's is shown, under a notice.
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
        return "<p class=\"notice\" role=\"note\">\(escapeHTML(template.utf8Replacing("{language}", with: sourceLanguageName)))</p>\n\n"
    }

    /// Where each language's reference pages are (their paths, no text): stand-ins for pages a
    /// mistake in the catalog prose left unmade, for links to them to resolve.
    static func paths(languages: [String]) -> [SourcePage] {
        languages.flatMap { language in
            (["index"] + Catalog.descriptors.map(\.id)).map { sourcePage(language, name: $0, frontMatter: FrontMatter(), body: "") }
        }
    }

    func pages() -> [SourcePage] {
        var pages = [index()]
        for (offset, descriptor) in Catalog.descriptors.enumerated() {
            pages.append(page(descriptor, weight: Self.weight + 1 + offset))
        }
        return pages
    }

    private func sourcePage(_ name: String, title: String, description: String, weight: Int, body: String) -> SourcePage {
        var matter = FrontMatter()
        matter.title = title
        matter.description = description
        matter.weight = weight
        return Self.sourcePage(language, name: name, frontMatter: matter, body: body)
    }

    /// The page `reference/<name>.md` of `language`, generated.
    private static func sourcePage(_ language: String, name: String, frontMatter: FrontMatter, body: String) -> SourcePage {
        let relativePath = "\(folder)/\(name).md"
        return SourcePage(language: language, relativePath: relativePath,
                          displayPath: "<reference>/\(language)/\(relativePath)", frontMatter: frontMatter, body: body,
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
        return sourcePage("index", title: text("ref_index_title"), description: text("ref_index_intro"),
                          weight: Self.weight, body: fallbackNotice(prose) + body)
    }

    /// The gradient formulas of the section that the build checks against the library's gradient
    /// (`CatalogGradientChecks`, which fails the build when one disagrees), displayed again with
    /// the "checked against the code" mark; none when the section is another language's.
    func checkedGradients(_ id: String) -> String {
        let section = prose.text(.gradient, of: id, in: language)
        guard !section.isFallback else { return "" }
        let template = text("gradient_checked_catalog")
            .utf8Replacing("{loss}", with: id)
            .utf8Replacing("{rtol}", with: DirectiveExpander.format(GradientChecker.relativeTolerance, digits: 2))
            .utf8Replacing("{atol}", with: DirectiveExpander.format(GradientChecker.absoluteTolerance, digits: 2))
        return CatalogGradientChecks.checkedFormulas(of: id, in: section.text).map { tex in
            "$$\n\(tex)\n$$\n\n<p class=\"verified gradient-checked\">✓ \(escapeHTML(template))</p>\n\n"
        }.joined()
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
        body += "## \(text("ref_gradient"))\n\n\(prose(.gradient, of: d.id))\n\n" + checkedGradients(d.id)

        body += "## \(text("ref_peers"))\n\n"
        if !d.peers.isEmpty {
            body += "| \(text("ref_library")) | \(text("ref_call")) | \(text("ref_relation")) |\n| --- | --- | --- |\n"
            for peer in d.peers {
                body += "| \(cell(peer.library)) | `\(peer.call.utf8Replacing("|", with: "\\|").utf8Replacing("`", with: "'"))` | \(cell(prose(.peer(library: peer.library, call: peer.call), of: d.id))) |\n"
            }
            body += "\n"
        }
        body += witnessLine(d.id) + "\n\n"
        let implementationNotes = prose(.notes, of: d.id)
        if !implementationNotes.isEmpty { body += "## \(text("ref_notes"))\n\n\(implementationNotes)\n\n" }

        let example = ReferenceExample.of(d.id)
        let remark = prose(.example, of: d.id)
        let caption = example.caption(strings: text, remark: remark)
        body += "## \(text("ref_example"))\n\n```loss-table \(d.id)\n\(example.table)caption: \(Self.yamlQuoted(caption))\n```\n\n"
        let gradientCaption = example.caption(strings: text, remark: remark, gradient: true)
        body += "## \(text("ref_gradient_table"))\n\n```loss-grad \(d.id)\n\(example.gradient)caption: \(Self.yamlQuoted(gradientCaption))\n```\n\n"
        let plotTitle = text("ref_plot_caption").utf8Replacing("{loss}", with: name)
            .utf8Replacing("{variable}", with: DirectiveExpander.variableUnicode(example.variable))
        body += "## \(text("ref_plot"))\n\n```loss-plot \(d.id)\n\(example.plot)title: \(Self.yamlQuoted(plotTitle))\n```\n\n"
        body += "## \(text("ref_properties"))\n\n```loss-properties \(d.id)\n```\n\n"
        body += "## \(text("ref_code"))\n\n```loss-code \(d.id)\n```\n\n"
        body += "## \(text("ref_citation"))\n\n" + escapeMarkdown(d.citation.text)
            + (d.citation.url.map { " <\($0)>" } ?? "") + "\n\n"
        if !Catalog.relations(around: d.id).isEmpty {
            body += "## \(text("ref_family"))\n\n```loss-family\naround: \(d.id)\n```\n\n"
        }
        // The notes that mention the loss are known once they are rendered: the render stage fills the slot.
        body += "## \(text("ref_mentions"))\n\n\(Self.mentionsSlot)\n"
        return sourcePage(d.id, title: name, description: name + " · " + category,
                          weight: weight, body: fallbackNotice(prose) + body)
    }

    /// What every build rechecks the loss against besides the reference (`PeerWitness`): the peer
    /// libraries with their case counts and calls; or, for a loss no peer library has, why, and the
    /// paper whose formula stands in (with the peers it reduces to at some parameter); or, for a
    /// loss with neither, that the reference is its only check.
    func witnessLine(_ id: String) -> String {
        let counts = PeerWitness.caseCounts[id] ?? [:]
        let separator = text("list_separator")
        func code(_ peer: String) -> String { "`\(DirectiveExpander.call(peer).utf8Replacing("`", with: "'"))`" }
        if let peers = PeerWitness.libraries[id], !peers.isEmpty {
            var calls: [String: [String]] = [:]
            for peer in peers { calls[String(peer.prefix { $0 != ":" }), default: []].append(peer) }
            let parts = calls.keys.sorted().map { library in
                text("ref_witness_library").utf8Replacing("{library}", with: library)
                    .utf8Replacing("{cases}", with: String(counts[library] ?? 0))
                    .utf8Replacing("{calls}", with: calls[library, default: []].map(code).joined(separator: separator))
            }
            return text("ref_witness_peers").utf8Replacing("{libraries}", with: parts.joined(separator: separator))
        }
        guard let witness = PeerWitness.witnesses[id] else { return text("ref_no_peer") }
        let kind = PeerWitness.index[id]?.reason_kind ?? "no_library"
        var line = text("witness_reason_\(kind)") + text("sentence_separator")
            + text("ref_witness_paper").utf8Replacing("{cases}", with: String(counts["paper"] ?? 0))
            .utf8Replacing("{formula}", with: "$\(witness.formula)$")
            .utf8Replacing("{citation}", with: escapeMarkdown(witness.citation))
        if !witness.reductions.isEmpty {
            line += text("sentence_separator") + text("ref_witness_reductions")
                .utf8Replacing("{reductions}", with: witness.reductions.map(code).joined(separator: separator))
        }
        return line
    }

    /// A YAML double-quoted scalar holding `text` as it is (backslashes of formulas included).
    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.utf8Replacing("\\", with: "\\\\").utf8Replacing("\"", with: "\\\"")
            .utf8Replacing("\n", with: " ") + "\""
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
        // Most cells hold neither: the Character walk below copies them as they are (1,492 cells
        // walked were 48 M instructions of a prose edit of this repository's content).
        guard s.containsUTF8Byte(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\n") }) else { return s }
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
        s.utf8Replacing("*", with: "\\*").utf8Replacing("_", with: "\\_")
    }
}
