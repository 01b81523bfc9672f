import Foundation

extension SiteBuilder {
    /// After `execute`: warns about decimal numbers typed into the notes' prose (see
    /// `ProseNumbers` for what counts). The notes only: generated reference pages take their
    /// prose from the catalog.
    /// - Returns: each page's warnings, by ``sessionKey(_:)``, for a `serve` session to replay.
    @discardableResult
    mutating func checkProseNumbers(_ executed: ExecutedSite) -> [String: [Diagnostic]] {
        var byPage: [String: [Diagnostic]] = [:]
        for page in executed.pages where !page.source.generated {
            if let reused = page.reused {
                report.warnings += reused.proseWarnings
                continue
            }
            guard let document = page.document else { continue }
            var shown: [Double] = []
            for case let .success(expansion) in page.blocks.values {
                guard case let .table(table) = expansion.output else { continue }
                for row in table.rows {
                    for case let .text(text) in row { shown += ProseNumbers.numbers(inShown: text) }
                }
            }
            let findings = ProseNumbers(shown: shown).findings(
                in: page.source.body, lineOffset: page.source.bodyLineOffset, codeLines: document.codeBlocks.map(\.lines))
            var warnings: [Diagnostic] = []
            for finding in findings {
                var warning = Diagnostic(page.source.displayPath, line: finding.line, column: finding.column, stage: .proseNumbers,
                                         "number '\(finding.text)' typed in the prose: neither computed nor cited",
                                         hint: "compute it with an executable block, or cite it from content/data/ with a cited-table")
                warning.isWarning = true
                warnings.append(warning)
            }
            report.warnings += warnings
            byPage[Self.sessionKey(page.source)] = warnings
        }
        return byPage
    }
}
