import FormulaCheck
import Foundation
import LossFormulas
import Markdown

/// Which displayed formulas of the site are bound to a loss and checked against the code, and
/// which are not (`lossbook check --formulas`): the catalog's formulas (shown on the reference
/// pages), the notes' `formula` blocks, and the notes' other display formulas.
public struct FormulaInventory: Sendable {
    public enum Status: String, Sendable {
        /// Bound and agreeing with the library.
        case checked
        /// Bound and disagreeing, or unreadable.
        case failed
        /// Displayed but not bound to a loss.
        case unbound
        /// A catalog formula marked as the paper's form, not the code's definition
        /// (`CatalogBindings.paperForms`): cited, not checkable against the code; in a note, a
        /// `formula` block with `paper: <reason>` (`NotationBlock`).
        case paper
        /// A note's `formula` block with `notation: <reason>`: notation, an identity or a step of an
        /// algorithm, which defines no loss or gradient to check.
        case notation
    }

    public struct Item: Sendable {
        /// `catalog focal #1` or `content/en/focal.md:12:1`.
        public var place: String
        public var status: Status
        /// The TeX, shortened to one line.
        public var excerpt: String
        /// Probe evaluations, or the reason it failed.
        public var detail: String
    }

    public var catalog: [Item]
    public var notes: [Item]
    /// The build's mistakes (formula checks included), for the CLI to print after the list.
    public var diagnostics: [Diagnostic]

    public var items: [Item] { catalog + notes }
    public var failed: Int { items.filter { $0.status == .failed }.count }

    /// One line an item, then a summary line.
    public var lines: [String] {
        var lines = ["catalog formulas (reference pages, every language; then the gradient formulas of the catalog prose, per language):"]
        lines += catalog.map(Self.line)
        lines.append("note formulas:")
        lines += notes.map(Self.line)
        func count(_ items: [Item], _ status: Status) -> Int { items.filter { $0.status == status }.count }
        lines.append("catalog: \(count(catalog, .checked)) checked, \(count(catalog, .failed)) failed, \(count(catalog, .unbound)) unbound; "
                     + "\(count(catalog, .paper)) paper forms, \(count(catalog, .notation)) notation; notes: \(count(notes, .checked)) checked, \(count(notes, .failed)) failed, \(count(notes, .unbound)) unbound, "
                     + "\(count(notes, .notation)) notation, \(count(notes, .paper)) paper forms")
        return lines
    }

    private static func line(_ item: Item) -> String {
        "  " + item.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + " " + item.place
            + (item.detail.isEmpty ? "" : " (\(item.detail))") + "  " + item.excerpt
    }

    /// The block's `notation:` / `paper:` form, if it has one and it reads (else the block's failure shows).
    private static func notation(_ code: String) -> NotationBlock? {
        (try? NotationBlock.parse(code)) ?? nil
    }

    static func excerpt(_ tex: String) -> String {
        let flat = tex.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count > 72 ? String(flat.prefix(71)) + "…" : flat
    }

    init(_ executed: SiteBuilder.ExecutedSite, diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
        catalog = executed.catalogFormulas.entries.map { entry in
            if !entry.bound, let paper = CatalogBindings.paperForm(entry.loss, formula: entry.index) {
                if paper.kind == .notation {
                    return Item(place: "catalog \(entry.loss) #\(entry.index)", status: .notation, excerpt: Self.excerpt(entry.tex),
                                detail: "notation: " + paper.reason)
                }
                return Item(place: "catalog \(entry.loss) #\(entry.index)", status: .paper, excerpt: Self.excerpt(entry.tex),
                            detail: "paper form, not a definition of the code: " + paper.reason)
            }
            let status: Status = !entry.bound ? .unbound : entry.failure == nil ? .checked : .failed
            let detail = entry.failure.map { "fails: " + $0 } ?? (entry.bound ? "\(entry.checked) probe evaluations" : "")
            return Item(place: "catalog \(entry.loss) #\(entry.index)", status: status, excerpt: Self.excerpt(entry.tex), detail: detail)
        }
        catalog += executed.catalogGradients.entries.map { entry in
            let status: Status = !entry.bound ? .unbound : entry.failure == nil ? .checked : .failed
            let detail = entry.failure.map { "fails: " + $0 } ?? (entry.bound ? "gradient, \(entry.checked) element evaluations" : "gradient")
            return Item(place: "\(entry.path):\(entry.line):\(entry.column)", status: status, excerpt: Self.excerpt(entry.tex), detail: detail)
        }
        var notes: [Item] = []
        for page in executed.pages where !page.source.generated {
            guard let document = page.document else { continue }
            let path = page.source.displayPath
            var found: [(line: Int, column: Int, item: Item)] = []
            for span in document.math where span.kind == .display {
                found.append((span.line, span.column, Item(place: "\(path):\(span.line):\(span.column)", status: .unbound,
                                                           excerpt: Self.excerpt(span.tex), detail: "")))
            }
            for (index, block) in document.codeBlocks.enumerated() {
                let line = block.location.line, column = block.location.column
                if block.language.lowercased() == "math" {
                    found.append((line, column, Item(place: "\(path):\(line):\(column)", status: .unbound,
                                                     excerpt: Self.excerpt(block.code), detail: "")))
                } else if DirectiveKind.of(block.info) == .checkedFormula {
                    let tex = block.code.components(separatedBy: "\ncheck:").first ?? block.code
                    let place = "\(path):\(line):\(column)"
                    let item: Item
                    if let notation = Self.notation(block.code) {
                        item = Item(place: place, status: notation.kind == .paper ? .paper : .notation,
                                    excerpt: Self.excerpt(notation.tex), detail: "\(notation.kind.rawValue): \(notation.reason)")
                    } else if case .failure(let failure)? = page.blocks[index] {
                        item = Item(place: place, status: .failed, excerpt: Self.excerpt(tex),
                                    detail: failure.diagnostics.first.map { "fails at line \($0.line): \($0.message)" } ?? "fails")
                    } else {
                        item = Item(place: place, status: .checked, excerpt: Self.excerpt(tex), detail: "")
                    }
                    found.append((line, column, item))
                }
            }
            notes += found.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.map(\.item)
        }
        self.notes = notes
    }
}

extension SiteBuilder {
    /// Loads, discovers and executes the site (which checks every bound formula) and lists its
    /// displayed formulas; nothing is rendered or written. Throws only when the site cannot be read.
    public static func formulaInventory(_ options: BuildOptions) async throws -> FormulaInventory {
        var builder = SiteBuilder(options)
        let loaded = try builder.load()
        let discovered = try builder.discover(loaded)
        let executed = try await builder.execute(discovered)
        let blockFailures = executed.pages.flatMap { page in
            page.blocks.values.compactMap { result -> [Diagnostic]? in
                if case let .failure(failure) = result { return failure.diagnostics }
                return nil
            }.flatMap { $0 }
        }
        return FormulaInventory(executed, diagnostics: (builder.diagnostics + blockFailures).sorted())
    }
}
