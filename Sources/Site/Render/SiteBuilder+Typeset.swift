import Foundation

extension SiteBuilder {
    /// Stage 5: every formula and code block of the site not in the render cache goes to the
    /// Node.js helper (KaTeX, highlight.js), split over a few processes for a large batch; then
    /// each page's placeholders are filled.
    mutating func typeset(_ site: DraftSite) async throws -> [RenderedPage] {
        var requests = Set<RenderRequest>()
        for page in site.pages { requests.formUnion(page.draft.requests) }
        report.formulas = requests.filter { if case .math = $0 { return true }; return false }.count
        report.codeBlocks = requests.count - report.formulas
        let config = site.discovered.loaded.config
        var cache = RenderCache(cacheDirectory: options.cacheDirectory, fingerprint: options.tools.fingerprint(macros: config.macros))
        report.helperProcesses = try cache.resolve(requests, tools: options.tools, macros: config.macros)
        // Every page of the site asked: what none asked for is dropped.
        cache.save(prune: true)
        let frozen = cache
        let pages = try await concurrentMap(site.pages) { page in
            let (html, errors) = page.draft.typeset(with: frozen, path: page.source.displayPath)
            return (RenderedPage(source: page.source, title: page.title, html: html, headings: page.draft.headings,
                                 anchors: htmlIDs(html), anchorChecks: page.anchorChecks, mentions: page.draft.mentions,
                                 fixes: page.draft.fixes),
                    page.draft.diagnostics + errors)
        }
        collect(pages.flatMap(\.1))
        report.pages = pages.count
        return pages.map(\.0)
    }
}
