import Foundation

extension SiteBuilder {
    /// What every later stage reads: configuration, theme, and the loss library's sources.
    struct LoadedSite: Sendable {
        var config: SiteConfig
        var theme: Theme
        /// The content folder as the user names it, for messages.
        var contentRoot: String
        /// `Sources/Losses` as compiled into this binary.
        var sources: LossSources { CompiledCode.shared.sources }
        /// `Sources/LossReference`, and the rest of the code compiled in (``BuildOptions/checkingFolders``:
        /// the code that runs and checks blocks, the formula checker, the losses' C kernel).
        var referenceFingerprint: String { CompiledCode.shared.referenceFingerprint }
        var checkingFingerprint: String { CompiledCode.shared.checkingFingerprint }
    }

    /// The code compiled into this binary, indexed once per process (a `serve` session's
    /// rebuilds share it) and only when a stage first asks: a build whose inputs have not changed
    /// stops before (``BuildStamp``), and indexing the loss sources costs a tenth of a second.
    struct CompiledCode: Sendable {
        static let shared = CompiledCode()

        let sources = LossSources.compiled("Sources/Losses")
        let referenceFingerprint = LossSources.compiledFingerprint("Sources/LossReference")
        let checkingFingerprint = BuildOptions.checkingFolders.map { LossSources.compiledFingerprint($0) }.joined()
    }

    /// Stage 1: a safe output folder and the tools at hand (`node`, KaTeX, highlight.js),
    /// `content/lossbook.yaml`, `templates/`, and the provenance of the code that will
    /// compute the site's numbers: the sources compiled into this binary, which must be those of
    /// the working folder when it has them.
    mutating func load() throws -> LoadedSite {
        try load(loadConfig())
    }

    /// ``preflight()``, then `content/lossbook.yaml`.
    mutating func loadConfig() throws -> SiteConfig {
        try preflight()
        return try readConfig()
    }

    /// What the build stamp needs (``BuildStamp``): a safe output folder and the tools' versions.
    /// The rest of `load`, the configuration first, waits until the stamp says the build has work
    /// to do: a stamp that matches was written by a build that read the same `lossbook.yaml` (a
    /// file of the content folder, which the stamp covers), loaded the same theme (its warnings are
    /// kept in the stamp) and checked the same sources (the stamp covers them). Reading the
    /// configuration (Yams's resolver compiling its regular expressions with ICU) was 13 % of the
    /// instructions of an unchanged 2,000-page rebuild.
    mutating func preflight() throws {
        if options.write {
            try OutputSafety.check(output: options.outputDirectory, content: options.contentDirectory, templates: options.templatesDirectory)
        }
        try options.checkCacheFolder()
        if let cache = options.cacheDirectory { CacheSafety.tag(cache) }
        let tools = options.tools
        let cache = options.cacheDirectory
        report.tools = try options.session.map { try $0.tools(for: "\(tools.node) \(tools.katexDirectory) \(tools.highlightDirectory)") { try Preflight.check(tools, cache: cache) } }
            ?? Preflight.check(tools, cache: cache)
    }

    /// `content/lossbook.yaml`, with `--base-url` applied.
    mutating func readConfig() throws -> SiteConfig {
        let configPath = "\(contentRoot)/\(SiteConfig.fileName)"
        var config = try SiteConfig.load(contentDirectory: options.contentDirectory, displayPath: configPath)
        applyBaseURL(to: &config, displayPath: configPath)
        return config
    }

    /// The content folder as the user names it, for messages.
    var contentRoot: String { Self.displayPath(options.contentDirectory) }

    /// The rest of stage 1, after ``readConfig()``: the sources' provenance and the theme.
    /// - Parameter provenanceKnown: the build stamp found the compiled-in sources and their working
    ///   copies as the last build, which checked them, found them (``BuildStamp/provenanceUnchanged``).
    mutating func load(_ config: SiteConfig, provenanceKnown: Bool = false) throws -> LoadedSite {
        // The provenance check, and indexing the compiled-in code that `discover` reads, beside
        // the theme's loading: jobs of one core each that every build pays first (together 30 % of
        // the CPU samples of a 20-page site's build).
        let (session, folders, templates, cache) = (options.session, provenanceFolders, options.templatesDirectory, options.cacheDirectory)
        let provenance = ConcurrentResults<Error?>(count: 1), loaded = ConcurrentResults<Result<(theme: Theme, fromCache: Bool), Error>>(count: 1)
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            guard job == 0 else {
                // What the theme is loaded under, made once (a serve session's memo and the
                // cache folder's file both key it by it).
                var inputs: String?
                let key = { if let inputs { return inputs }; inputs = Self.themeKey(templates, config); return inputs! }
                var fromCache = false
                let load = {
                    let loaded = try Self.loadTheme(templates, config, cache: cache, inputs: key)
                    fromCache = loaded.fromCache
                    return loaded.theme
                }
                // A `serve` session loads the theme again only when a file of the templates folder
                // changes (its bytes, or a file's identity: a template swapped for a link; the
                // assets, whose links the load checks) or the languages or limits do: loading it
                // was 4 % of a rebuild's CPU after a prose edit at 2,000 pages per language.
                return loaded.set(0, Result {
                    let theme = try session.memo("theme", key: key, load)
                    return (theme.forAnotherBuild(), fromCache)
                })
            }
            do {
                if !provenanceKnown { try Self.checkProvenance(folders, session: session) }
                _ = CompiledCode.shared
                provenance.set(0, nil)
            } catch {
                provenance.set(0, error)
            }
        }
        report.provenanceChecked = !provenanceKnown
        if let failure = provenance[0] ?? nil { throw failure }
        let (theme, fromCache) = try loaded[0]!.get()
        report.themeFromCache = fromCache
        report.addWarnings(theme.warnings)
        return LoadedSite(config: config, theme: theme, contentRoot: contentRoot)
    }

    /// The theme of the templates folder: as the cache folder keeps it (``Theme/Stored``) when the
    /// folder's files, the languages, the limits and the binary are those it was loaded with, else
    /// loaded, and kept when it loads.
    /// - Parameter inputs: ``themeKey(_:_:)`` of `templates` and `config`.
    static func loadTheme(_ templates: URL, _ config: SiteConfig, cache: URL?,
                          inputs: () -> String) throws -> (theme: Theme, fromCache: Bool) {
        let displayRoot = displayPath(templates)
        // In CompactCoding's form, one file a key (``KeptBetweenBuilds``; JSON took 20 M instructions
        // to read back). The folder as messages name it (from where the build runs) is the theme's too.
        let (theme, kept) = try KeptBetweenBuilds.value(themeFile, key: cache == nil ? "" : "\(inputs())\u{1}\(displayRoot)", cache: cache,
                                                        store: \.stored,
                                                        read: { Theme(try Theme.Stored(compact: &$0), directory: templates, builtIn: BuiltInTheme.files) }) {
            try Theme.load(directory: templates, displayRoot: displayRoot,
                           languages: config.languages.map(\.code), builtIn: BuiltInTheme.files, limits: config.limits)
        }
        if kept {
            let files = Set((try? FileManager.default.contentsOfDirectory(atPath: templates.path)) ?? [])
            let leaving = try Theme.linksLeavingTheProject(directory: templates, displayRoot: displayRoot, files: files)
            guard leaving.isEmpty else { throw BuildFailure(leaving) }
        }
        return (theme, kept)
    }

    /// The theme's file in the cache folder (beside it, one per key: ``PassingRunCache/slot(_:key:)``,
    /// the last ``PassingRunCache/keptRuns`` kept).
    static let themeFile = "theme"

    /// What ``Theme/load(directory:displayRoot:languages:builtIn:limits:)`` reads besides the
    /// built-in theme: the templates folder's files (their bytes, and every file under it by its
    /// size, modification time and inode), the languages and the limits.
    static func themeKey(_ templates: URL, _ config: SiteConfig) -> String {
        SessionInputs.contents(of: templates) + " " + SessionInputs.stamps(of: [templates]) + " "
            + config.languages.map(\.code).joined(separator: ",") + " " + config.limits.key
    }

    /// The working folder's copies of the code compiled into this binary: (folder, name in the
    /// binary, file extension). The build stamp covers them too.
    var provenanceFolders: [(URL, String, String)] { options.provenanceFolders }

    /// A binary older than the sources beside it would publish numbers the code no longer
    /// computes (or a stamp naming code that did not compute them): stop and say what to run.
    private static func checkProvenance(_ folders: [(URL, String, String)], session: BuildSession?) throws {
        // A `serve` session checks again only when a file of these folders is added, removed or touched.
        try session.memo("provenance", key: { SessionInputs.stamps(of: folders.map(\.0)) }) {
            try checkProvenance(folders)
        }
    }

    private static func checkProvenance(_ folders: [(URL, String, String)]) throws {
        let stale = folders.flatMap { LossSources.differences(directory: $0.0, folder: $0.1, kind: $0.2) }
        guard let first = stale.first else { return }
        let more = stale.count > 1 ? " and \(stale.count - 1) more file\(stale.count > 2 ? "s" : "")" : ""
        throw Diagnostic(first, stage: .provenance,
                         "this lossbook binary was compiled from other sources than \(first)\(more): its numbers would not be this code's",
                         hint: "rebuild it first: scripts/build-release.sh (make site does both)")
    }
}

extension BuildOptions {
    /// The working folder's copies of the code compiled into this binary (the plugin's list,
    /// `CompiledSources.provenance`): (folder, name in the binary, file extension). Each is found
    /// beside `lossSources` (`Sources/Losses`), `Sources/LossReference` at `referenceSources`.
    var provenanceFolders: [(URL, String, String)] {
        CompiledSources.provenance.compactMap { folder, kind in
            if folder == Self.referenceFolder { return referenceSources.map { ($0, folder, kind) } }
            guard let losses = lossSources else { return nil }
            if folder == Self.lossesFolder { return (losses, folder, kind) }
            let package = losses.deletingLastPathComponent().deletingLastPathComponent()
            return (package.appendingPathComponent(folder), folder, kind)
        }
    }

    /// The folders of ``provenanceFolders``, once each, as messages name them: what `serve`
    /// watches besides the notes and templates (an edit there is a stale binary to report).
    public var sourceFolders: [String] {
        var seen: Set<String> = []
        return provenanceFolders.map { SiteBuilder.displayPath($0.0) }.filter { seen.insert($0).inserted }
    }

    static let lossesFolder = "Sources/Losses"
    static let referenceFolder = "Sources/LossReference"

    /// The compiled-in code folders other than the losses' and the reference's (each fingerprinted
    /// apart) and the peers' values (checked by every build): the code that runs and checks blocks.
    static let checkingFolders: [String] = {
        var seen: Set<String> = [lossesFolder, referenceFolder, PeerWitness.folder]
        return CompiledSources.provenance.map(\.folder).filter { seen.insert($0).inserted }
    }()
}
