import Foundation
import Losses

extension SiteBuilder {
    /// Stage 6: every link to a fragment must name an id of its target page. A target that was
    /// not rendered (its front matter is broken: that mistake is reported already) has no known
    /// ids, and links into it are not judged.
    mutating func linkCheck(_ pages: [RenderedPage]) {
        // A page's ids are asked for only when a link names one of its fragments: a kept page's
        // stay encoded until then (``RenderedPage/Outline``).
        let checking = pages.indices.filter { !pages[$0].anchorChecks.isEmpty }
        guard !checking.isEmpty else { return }
        let byOutput = Dictionary(uniqueKeysWithValues: pages.indices.map { (pages[$0].source.outputPath, $0) })
        for index in checking {
            let page = pages[index]
            for check in page.anchorChecks {
                guard let target = byOutput[check.page] else { continue }
                let ids = pages[target].anchors
                guard !ids.contains(check.fragment) else { continue }
                let known = Array(ids)
                let suggestion = Catalog.closest(to: check.fragment, in: known)
                collect([Diagnostic(page.source.displayPath, line: check.location.line, column: check.location.column,
                                    stage: .links, "broken anchor: '\(check.url)' (no id '\(check.fragment)' on that page)",
                                    hint: suggestion.map { "did you mean '#\($0)'?" } ?? "anchors are the ids of headings, e.g. '## Focal loss' → #focal-loss")])
            }
        }
    }
}
