import Foundation

extension SiteBuilder {
    /// Every page to build (notes and generated reference pages), the files to copy, and what
    /// the later stages share: each language's renderer, the execution cache, the link resolver.
    struct DiscoveredSite: Sendable {
        var loaded: LoadedSite
        var tree: ContentTree
        var translations: TranslationStatus
        /// The notes, then the reference pages (generated once, here).
        var pages: [SourcePage]
        var renderers: [String: PageRenderer]
        var executions: ExecutionCache
        var resolver: LinkResolver
        /// What every page's rendering depends on besides its own text (``BuildSession``): a
        /// hash of the pages' and files' paths, the configuration, cited data, catalog prose,
        /// templates and UI strings. Empty without a session.
        var shape = ""
        /// The catalog prose, when reference pages are built (its gradient formulas are checked).
        var prose: CatalogProse?
        /// What the catalog prose was read from, as a `serve` session compares it (``SessionInputs``); empty without a session.
        var proseKey = ""
    }

    /// Stage 2: reads the notes and the catalog prose, lists the files to copy, generates the
    /// reference pages.
    mutating func discover(_ loaded: LoadedSite) throws -> DiscoveredSite {
        let config = loaded.config
        let session = options.session
        var tree = try ContentTree.discover(contentDirectory: options.contentDirectory, displayRoot: loaded.contentRoot, config: config,
                                          drafts: options.drafts, known: knownNotes) { text, path in
            // In a `serve` session, a note's front matter is parsed again only when its text (or a YAML limit) changes.
            try session.memo("front matter " + path, key: { "\(fnv1a64Hex(text.utf8)) \(config.limits.yamlDepth) \(config.limits.yamlNodes)" }) {
                try FrontMatter.read(text, path: path, limits: config.limits)
            }
        }
        // Unreadable pages and front matter mistakes are reported with the other stages' mistakes, at the end of the run.
        collect(tree.problems)
        report.notesRead = tree.notesRead
        noteRecords = tree.records
        tree.records = []
        if keepsNoteRecordsInSession, let known = knownNotes, let session {
            session.keepNotes(key: Self.noteRecordsKey(config), index: known.index, records: noteRecords)
        }
        let languages = config.languages.map(\.code)
        // In a `serve` session, read again only when a byte of a language's catalog prose (or a YAML limit) changes.
        let yamlLimits = "\(config.limits.yamlDepth) \(config.limits.yamlNodes)"
        let proseKey = options.session == nil ? "" : loaded.contentRoot + "\u{1}" + yamlLimits + "\u{1}" + languages.map {
            SessionInputs.contents(of: options.contentDirectory.appendingPathComponent($0).appendingPathComponent(CatalogProse.folder))
        }.joined(separator: "\u{1}")
        let (contentDirectory, contentRoot, limits) = (options.contentDirectory, loaded.contentRoot, config.limits)
        // A `build` with a cache folder keeps the catalog prose and the reference pages for the next
        // one (``KeptBetweenBuilds``), under what they are made from: made again by every build, they
        // were half of a prose edit of this repository's content (reading the prose 21 ms, making
        // the pages 11–16 ms, of 70). A `serve` session keeps them in its memory instead. Both are
        // kept under `proseKey`, which only a session makes: without one nothing is kept (a build
        // with a page memo always has one, ``startSession(_:)``).
        let keeps = pageMemo != nil && !proseKey.isEmpty ? options.cacheDirectory : nil
        let proseKept = LockedFlag()
        let loadProse = {
            let (prose, kept) = try KeptBetweenBuilds.value("catalog-prose", key: limits.key + "\u{1}" + proseKey, cache: keeps,
                                                            store: \.stored, read: { try CatalogProse(compact: &$0) }) {
                try CatalogProse.load(contentDirectory: contentDirectory, displayRoot: contentRoot, languages: languages, limits: limits)
            }
            proseKept.value = kept
            return prose
        }
        // Prose the site owns is read (and its mistakes reported) on every build; the binary's own,
        // when no reference page shows it, only if a block names a loss (``LossNames``).
        let ownsProse = languages.contains {
            FileManager.default.fileExists(atPath: contentDirectory.appendingPathComponent($0).appendingPathComponent(CatalogProse.folder).path)
        }
        // Mistakes in the prose are reported with the other stages' mistakes, at the end of the run:
        // the build goes on without the prose (without reference pages, blocks naming losses by id).
        var proseRead: CatalogProse?, proseFailed = false
        if config.referencePages || ownsProse {
            do {
                proseRead = try options.session.memo("catalog prose", key: { proseKey }, loadProse)
            } catch let failure as BuildFailure {
                collect(failure.diagnostics)
                proseFailed = true
            } catch let diagnostic as Diagnostic {
                collect([diagnostic])
                proseFailed = true
            }
        }
        let prose = proseRead
        let deferredNames = prose == nil && !proseFailed ? LossNames.Deferred(languages: languages, loadProse) : nil
        let translations = TranslationStatus(pages: tree.pages + (prose?.pages ?? []), languages: config.languages.map(\.code))
        report.addWarnings(translations.warnings + (config.referencePages ? prose?.warnings ?? [] : []))
        // One language a core: each language's pages were a twelfth of the CPU of a prose edit of
        // this repository's content, one language after the other.
        let makeReferences = {
            let referencesByLanguage = ConcurrentResults<[SourcePage]>(count: config.languages.count)
            DispatchQueue.concurrentPerform(iterations: config.languages.count) { index in
                let language = config.languages[index]
                let prose = prose!
                let strings = loaded.theme.strings[language.code] ?? [:]
                let make = {
                    ReferencePages(language: language.code, strings: strings, prose: prose,
                                   sourceLanguageName: config.languages.first?.name ?? prose.sourceLanguage).pages()
                }
                // In a `serve` session, generated again only when the catalog prose or the strings change.
                guard let session else { return referencesByLanguage.set(index, make()) }
                let key = prose.pages.map { "\($0.language)/\($0.relativePath) \($0.contentHash)" }.joined(separator: "\n")
                    + strings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
                    + (config.languages.first?.name ?? "")
                referencesByLanguage.set(index, session.memo("reference pages \(language.code)", key: fnv1a64Hex(Array(key.utf8)), make))
            }
            return config.languages.indices.flatMap { referencesByLanguage[$0] ?? [] }
        }
        // Kept between builds under the prose they are made from (``KeptBetweenBuilds``), the
        // languages and their strings (the compiled-in prose, the catalog and the peers' values are
        // the binary's).
        let referencesKey = { () -> String in
            var key = limits.key + "\u{1}" + proseKey + "\u{1}" + (config.languages.first?.name ?? "")
            for language in config.languages {
                key += "\u{1}language \(language.code)"
                for (name, value) in (loaded.theme.strings[language.code] ?? [:]).sorted(by: { $0.key < $1.key }) { key += "\u{2}\(name)=\(value)" }
            }
            return key
        }
        var references: [SourcePage] = []
        if config.referencePages, prose != nil {
            (references, report.referencePagesFromCache) = keeps == nil ? (makeReferences(), false)
                : try KeptBetweenBuilds.value("reference-pages", key: referencesKey(), cache: keeps, store: { $0 },
                                          read: { try $0.array { try SourcePage(compact: &$0) } }, makeReferences)
        }
        report.proseFromCache = proseKept.value
        tree.setAsideUncertainPages(besides: references)
        try ContentTree.checkCollisions(tree.pages, generated: references)
        let languagesWithPages = Set((tree.pages + references).map(\.language))
        for language in config.languages where !languagesWithPages.contains(language.code) {
            var warning = Diagnostic("\(loaded.contentRoot)/\(language.code)", stage: .discovery,
                                     "no notes in language '\(language.code)': its home page lists nothing",
                                     hint: "add a note (a .md file) under \(loaded.contentRoot)/\(language.code)/; lossbook init makes a starting site")
            warning.isWarning = true
            report.addWarnings([warning])
        }
        // A note saved as `x.MD` or `x.markdown` would be published as a file, not built: said so.
        for asset in tree.assets {
            let name = asset.outputPath.split(separator: "/").last.map(String.init) ?? ""
            guard let dot = name.lastIndex(of: "."), dot > name.startIndex,
                  ["md", "markdown", "mdown", "mkd", "mkdn"].contains(name[name.index(after: dot)...].lowercased()) else { continue }
            var warning = Diagnostic("\(loaded.contentRoot)/\(asset.outputPath)", stage: .discovery,
                                     "'\(name)' is copied into the site as a file, not built as a page: only names ending in '.md' are notes",
                                     hint: "rename it to '\(name[..<dot]).md' to make it a page")
            warning.isWarning = true
            report.addWarnings([warning])
        }
        let executionsFolder = options.cacheDirectory?.appendingPathComponent(ExecutionCache.folderName)
        let executionsFingerprint = loaded.referenceFingerprint + loaded.checkingFingerprint
        let makeExecutions = { ExecutionCache(folder: executionsFolder, sources: loaded.sources, fingerprint: executionsFingerprint) }
        let executions = options.session?.executions(key: "\(executionsFolder?.path ?? "-") \(executionsFingerprint)", makeExecutions)
            ?? makeExecutions()
        let dataFolder = options.contentDirectory.appendingPathComponent("data")
        let context = DirectiveContext(
            citedData: try options.session.memo("cited data", key: { loaded.contentRoot + yamlLimits + SessionInputs.contents(of: dataFolder, suffixes: [".yaml", ".yml"]) }) {
                try CitedDataset.loadAll(directory: dataFolder, displayRoot: "\(loaded.contentRoot)/data", limits: config.limits)
            },
            graphviz: Graphviz(cacheDirectory: options.cacheDirectory))
        let renderers = Dictionary(uniqueKeysWithValues: config.languages.map { language in
            let strings = loaded.theme.strings[language.code] ?? [:]
            return (language.code, PageRenderer(options: .init(copyLabel: strings["copy"] ?? "Copy"),
                                                expander: DirectiveExpander(language: language.code, strings: strings,
                                                                            names: deferredNames.map { LossNames($0, language: language.code) }
                                                                                ?? LossNames(prose?.names(in: language.code) ?? [:]),
                                                                            sources: loaded.sources, fix: options.fix,
                                                                            context: context, limits: config.limits,
                                                                            macros: config.macros),
                                                executions: executions))
        })
        if Graphviz.executable == nil {
            // Only to say where a diagram needs `dot`: the notes taken from their records are read.
            for index in tree.pages.indices { try tree.pages[index].readBody(limits: config.limits) }
        }
        let pages = tree.pages + references
        try Graphviz.requireIfUsed(by: pages)
        // Reference pages not made for a mistake in the prose (reported): links to them resolve to
        // where they would be (the link check judges no anchor of a page not made).
        let unmade = config.referencePages && proseFailed ? ReferencePages.paths(languages: languages) : []
        let resolver = LinkResolver(
            pageOutputs: Dictionary((pages + tree.unreadable + unmade).map { ("\($0.language)/\($0.relativePath)", $0.outputPath) },
                                    uniquingKeysWith: { first, _ in first }),
            assetOutputs: Set(tree.assets.map(\.outputPath)), contentRoot: loaded.contentRoot,
            uncertain: Set(tree.unreadable.filter(\.frontMatterFailed).map { "\($0.language)/\($0.relativePath)" }),
            drafts: Set(tree.drafts))
        report.assets = tree.assets.count
        var site = DiscoveredSite(loaded: loaded, tree: tree, translations: translations, pages: pages, renderers: renderers,
                                  executions: executions, resolver: resolver)
        if config.referencePages { site.prose = prose }
        site.proseKey = proseKey
        if options.session != nil { site.shape = shape(of: site, prose: prose?.pages ?? []) }
        return site
    }

    /// ``DiscoveredSite/shape``: everything a page's rendering reads besides its own text.
    func shape(of site: DiscoveredSite, prose: [SourcePage]) -> String {
        // The hash of these lines, each hashed as it is made (joined first, the 4,000 pages' lines
        // were 11 M instructions of a prose edit at 2,000 pages per language).
        var text = FNV1a64Text()
        let space = UInt8(ascii: " "), slash = UInt8(ascii: "/"), newline = UInt8(ascii: "\n")
        text.add("drafts \(options.drafts)\n")
        for page in site.pages {
            text.add("page "); text.add(page.language); text.add(byte: slash); text.add(page.relativePath)
            text.add(byte: space); text.add(page.outputPath); text.add(byte: newline)
        }
        for asset in site.tree.assets { text.add("file \(asset.outputPath)\n") }
        for page in prose { text.add("prose \(page.language)/\(page.relativePath) \(page.contentHash)\n") }
        let config = options.contentDirectory.appendingPathComponent(SiteConfig.fileName)
        text.add("config \(fnv1a64Hex(Array((FileManager.default.contents(atPath: config.path) ?? Data()))))\n")
        if let data = FileManager.default.enumerator(at: options.contentDirectory.appendingPathComponent("data"), includingPropertiesForKeys: nil) {
            for case let url as URL in data {
                text.add("data \(url.lastPathComponent) \(fnv1a64Hex(Array((FileManager.default.contents(atPath: url.path) ?? Data()))))\n")
            }
        }
        for (name, template) in site.loaded.theme.texts.sorted(by: { $0.key < $1.key }) {
            text.add("template \(name) \(fnv1a64Hex(Array(template.utf8)))\n")
        }
        for (language, strings) in site.loaded.theme.strings.sorted(by: { $0.key < $1.key }) {
            for (key, value) in strings.sorted(by: { $0.key < $1.key }) { text.add("string \(language) \(key) \(value)\n") }
        }
        return hex16(text.hash)
    }
}

extension SiteBuilder.DiscoveredSite {
    /// Forgets the pages' markdown once every page is parsed and its prose checked (after
    /// `execute`; ``SourcePage/forgetBody(parsed:)``).
    /// - Parameter parsed: whether each of ``pages`` was parsed (``ExecutedSite/parsedPages``); the
    ///   notes (``ContentTree/pages``) are the first pages, in the same order.
    mutating func forgetMarkdown(parsed: [Bool]) {
        for index in pages.indices { pages[index].forgetBody(parsed: index < parsed.count ? parsed[index] : true) }
        for index in tree.pages.indices {
            let same = index < pages.count && pages[index].language == tree.pages[index].language
                && pages[index].relativePath == tree.pages[index].relativePath
            tree.pages[index].forgetBody(parsed: same && index < parsed.count ? parsed[index] : true)
        }
    }
}
