import Foundation
import Losses

extension SiteBuilder {
    /// Stage 6: every link to a fragment must name an id of its target page. A target that was
    /// not rendered (its front matter is broken: that mistake is reported already) has no known
    /// ids, and links into it are not judged.
    mutating func linkCheck(_ pages: [RenderedPage]) {
        let anchors = Dictionary(uniqueKeysWithValues: pages.map { ($0.source.outputPath, $0.anchors) })
        for page in pages {
            for check in page.anchorChecks {
                guard let ids = anchors[check.page], !ids.contains(check.fragment) else { continue }
                let known = Array(ids)
                let suggestion = Catalog.closest(to: check.fragment, in: known)
                collect([Diagnostic(page.source.displayPath, line: check.location.line, column: check.location.column,
                                    stage: .links, "broken anchor: '\(check.url)' (no id '\(check.fragment)' on that page)",
                                    hint: suggestion.map { "did you mean '#\($0)'?" } ?? "anchors are the ids of headings, e.g. '## Focal loss' → #focal-loss")])
            }
        }
    }
}
