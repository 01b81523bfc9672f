import Foundation

extension SiteBuilder {
    /// Stage 5: every formula and code block of the site not in the render cache goes to the
    /// Node.js helper (KaTeX, highlight.js), split over a few processes for a large batch; then
    /// each page's placeholders are filled.
    mutating func typeset(_ site: DraftSite) async throws -> [RenderedPage] {
        let config = site.discovered.loaded.config
        let fingerprint = options.tools.fingerprint(macros: config.macros)
        // A `serve` session's pages whose drafts and tools are unchanged keep their typeset HTML.
        let session = options.session
        // Looked up concurrently, by index: after a prose edit all but one of 4,000 pages are kept.
        let drafts = site.pages, indices = Array(drafts.indices)
        let keptTypeset = keptTypeset(site.discovered)
        let kept = session == nil ? Array(repeating: nil, count: drafts.count) : try await concurrentMap(indices) { index in
            drafts[index].inputs.flatMap { keptTypeset(drafts[index].source, $0) }
        }
        // The site's distinct formulas and code blocks, counted beside the rest of the stage: a set
        // of 16,000 formulas hashed on one core while the pages waited was 1.4 % of a prose edit's
        // CPU samples at 2,000 pages per language.
        let counting = Task.detached { [kept] in
            var requests = Set<RenderRequest>(minimumCapacity: indices.reduce(0) { $0 + (kept[$1]?.requests ?? drafts[$1].draft.requests).count })
            for index in indices { requests.formUnion(kept[index]?.requests ?? drafts[index].draft.requests) }
            let formulas = requests.reduce(0) { count, request in if case .math = request { return count + 1 }; return count }
            return (formulas: formulas, codeBlocks: requests.count - formulas)
        }
        var cache = RenderCache(cacheDirectory: options.cacheDirectory, fingerprint: fingerprint)
        var asked = Set<RenderRequest>()
        for index in indices where kept[index] == nil { asked.formUnion(drafts[index].draft.requests) }
        report.helperProcesses = try cache.resolve(asked, tools: options.tools, macros: config.macros,
                                                      workers: helpers ?? session?.helpers)
        // A `build`'s helpers stop here; a `serve` session keeps its own for the next rebuild.
        if session == nil || pageMemo != nil { (helpers ?? session?.helpers)?.stop() }
        // Every page of the site asked: what none asked for is dropped (not when kept pages asked
        // nothing). Written while the pages are filled in.
        let saving = Task.detached { [cache, prune = !kept.contains { $0 != nil }] in cache.save(prune: prune) }
        let frozen = cache
        let pages = try await concurrentMap(indices) { index in
            if let kept = kept[index] { return (kept.page, kept.diagnostics) }
            let page = drafts[index]
            let (html, errors) = page.draft.typeset(with: frozen, path: page.source.displayPath)
            let identity = page.inputs.map { $0 + " " + fingerprint }
            let rendered = (RenderedPage(source: page.source, title: page.title, html: html, headings: page.draft.headings,
                                         anchors: htmlIDs(html), anchorChecks: page.anchorChecks, mentions: page.draft.mentions,
                                         fixes: page.draft.fixes, identity: session == nil ? nil : identity),
                            page.draft.diagnostics + errors)
            if let session, let identity {
                session.storeRendered(Self.sessionKey(page.source), BuildSession.Typeset(inputs: identity, page: rendered.0, diagnostics: rendered.1,
                                                                                         requests: page.draft.requests))
            }
            return rendered
        }
        await saving.value
        (report.formulas, report.codeBlocks) = await counting.value
        collect(pages.flatMap(\.1))
        report.pages = pages.count
        return pages.map(\.0)
    }

    /// A build whose render cache has nothing for these tools (a first build, or new KaTeX or
    /// macros) will typeset every formula: its helpers start now, so that starting Node.js and
    /// loading KaTeX overlap reading and executing the notes. A `serve` session keeps its own.
    mutating func startHelpers(_ loaded: LoadedSite) {
        guard options.session == nil || pageMemo != nil else { return }
        let cache = RenderCache(cacheDirectory: options.cacheDirectory,
                                fingerprint: options.tools.fingerprint(macros: loaded.config.macros))
        guard cache.folder.map({ !FileManager.default.fileExists(atPath: $0.path) }) ?? true else { return }
        let workers = RenderWorkers()
        workers.start(options.tools.helpers, tools: cache.helperTools(options.tools))
        helpers = workers
    }
}
