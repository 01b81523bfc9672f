import Foundation
import Markdown

extension SiteBuilder {
    /// After `execute`: warns about decimal numbers typed into the notes' prose (see
    /// `ProseNumbers` for what counts). The notes only: generated reference pages take their
    /// prose from the catalog.
    /// - Returns: each page's warnings, by ``sessionKey(_:)``, for a session to replay: made into
    ///   their printed lines and records here, on every core (``PageWarnings``), a kept page's
    ///   taken as their bytes.
    @discardableResult
    mutating func checkProseNumbers(_ executed: ExecutedSite) -> [String: PageWarnings] {
        var byPage: [String: PageWarnings] = [:]
        // Each note is read on its own (concurrently); the warnings are gathered in page order.
        // By index, not copies of the pages.
        let pages = executed.pages
        let notes = pages.indices.filter { !pages[$0].source.generated }
        let found = ConcurrentResults<PageWarnings>(count: notes.count)
        DispatchQueue.concurrentPerform(iterations: notes.count) { index in
            let page = pages[notes[index]]
            if let reused = page.reused { return found.set(index, reused.proseWarnings) }
            guard let document = page.document else { return }
            found.set(index, PageWarnings(Self.proseNumberWarnings(page, document: document)))
        }
        for (index, note) in notes.enumerated() {
            guard let warnings = found[index] else { continue }
            report.addWarnings(warnings)
            if pages[note].reused == nil { byPage[Self.sessionKey(pages[note].source)] = warnings }
        }
        return byPage
    }

    /// One note's warnings: its prose's decimal numbers that neither a table it shows nor a cited number accounts for.
    private static func proseNumberWarnings(_ page: ExecutedPage, document: MarkdownDocument) -> [Diagnostic] {
        // Each text once: a page that repeats a table (a big note repeats them all) shows its cells
        // again, and what counts is whether a number is shown, not how often.
        var texts = Set<String>()
        for case let .success(expansion) in page.blocks.values {
            guard case let .table(table) = expansion.output else { continue }
            for row in table.rows {
                for case let .text(text) in row { texts.insert(text) }
            }
        }
        let shown = texts.flatMap(ProseNumbers.numbers(inShown:))
        let findings = ProseNumbers(shown: shown).findings(
            in: page.source.body, lineOffset: page.source.bodyLineOffset, codeLines: document.codeBlocks.map(\.lines))
        return findings.map { finding in
            var warning = Diagnostic(page.source.displayPath, line: finding.line, column: finding.column, stage: .proseNumbers,
                                     "number '\(finding.text)' typed in the prose: neither computed nor cited",
                                     hint: "compute it with an executable block, or cite it from content/data/ with a cited-table")
            warning.isWarning = true
            return warning
        }
    }
}
