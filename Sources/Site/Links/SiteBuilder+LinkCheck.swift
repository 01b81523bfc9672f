import Foundation

extension SiteBuilder {
    /// Stage 6: every link to a fragment must name an id of its target page.
    mutating func linkCheck(_ pages: [RenderedPage]) {
        let anchors = Dictionary(uniqueKeysWithValues: pages.map { ($0.source.outputPath, $0.anchors) })
        for page in pages {
            for check in page.anchorChecks where anchors[check.page]?.contains(check.fragment) != true {
                let known = Array(anchors[check.page] ?? [])
                let suggestion = closest(to: check.fragment, in: known)
                collect([Diagnostic(page.source.displayPath, line: check.location.line, column: check.location.column,
                                    stage: .links, "broken anchor: '\(check.url)' (no id '\(check.fragment)' on that page)",
                                    hint: suggestion.map { "did you mean '#\($0)'?" } ?? "anchors are the ids of headings, e.g. '## Focal loss' → #focal-loss")])
            }
        }
    }
}
