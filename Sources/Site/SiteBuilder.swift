import Foundation
import Markdown

/// Where a build reads and writes.
public struct BuildOptions: Sendable {
    public var contentDirectory: URL
    public var templatesDirectory: URL
    public var outputDirectory: URL
    /// Rendered formulas and code are cached here (`nil`: no cache).
    public var cacheDirectory: URL?
    /// `false` for `lossbook check`: everything but writing.
    public var write = true
    public var tools = RenderTools.fromEnvironment()
    /// `Sources/Losses` and `Sources/LossReference`: excerpted by `loss-code` and fingerprinted for
    /// the execution cache (`nil`: no excerpts, no per-loss cache keys).
    public var lossSources: URL? = URL(fileURLWithPath: "Sources/Losses")
    public var referenceSources: URL? = URL(fileURLWithPath: "Sources/LossReference")
    /// Rewrite differing `expected:` numbers in the notes instead of failing (`build --fix`).
    public var fix = false

    public init(contentDirectory: URL, templatesDirectory: URL, outputDirectory: URL, cacheDirectory: URL?) {
        self.contentDirectory = contentDirectory
        self.templatesDirectory = templatesDirectory
        self.outputDirectory = outputDirectory
        self.cacheDirectory = cacheDirectory
    }
}

/// What a build did, for the CLI to print.
public struct BuildReport: Sendable {
    public var pages = 0
    public var assets = 0
    public var formulas = 0
    public var codeBlocks = 0
    /// Executable blocks run (not served from the execution cache).
    public var executedBlocks = 0
    /// Numbers `--fix` rewrote, as `path:line:col: old → new`.
    public var fixed: [String] = []
    /// Node.js helper processes started (0 when every formula came from the cache).
    public var helperProcesses = 0
    /// Stale or missing translations (the build still succeeds).
    public var warnings: [Diagnostic] = []
    /// `expected:` numbers that differ from the computed ones (a `--fix` run's edits).
    public var fixes: [FixEdit] = []
    /// Seconds per stage, in order.
    public var timings: [(stage: String, seconds: Double)] = []
}

/// The pipeline: configuration → discovery → render requests → helper (formulas, code) →
/// pages → links → theme → output. Reads top to bottom.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions) async throws -> BuildReport {
        guard options.fix else { return try await run(options) }
        let applied = try await fixExpected(options)
        var final = options
        final.fix = false
        var report = try await run(final)
        report.fixed = applied
        return report
    }

    /// `--fix`: computes every executable block without writing the site, and rewrites the
    /// `expected:` numbers that differ from the library's values in the notes, in place.
    /// - Returns: one line per rewritten number, `path:line:col: old → new`.
    public static func fixExpected(_ options: BuildOptions) async throws -> [String] {
        var dry = options
        dry.write = false
        dry.fix = true
        return try DoctestFix.apply(try await run(dry).fixes)
    }

    static func run(_ options: BuildOptions) async throws -> BuildReport {
        var report = BuildReport()
        var clock = StageClock()
        let contentRoot = displayPath(options.contentDirectory)
        let templatesRoot = displayPath(options.templatesDirectory)

        let config = try SiteConfig.load(contentDirectory: options.contentDirectory,
                                         displayPath: "\(contentRoot)/\(SiteConfig.fileName)")
        let tree = try ContentTree.discover(contentDirectory: options.contentDirectory, displayRoot: contentRoot, config: config)
        let theme = try Theme.load(directory: options.templatesDirectory, displayRoot: templatesRoot,
                                   languages: config.languages.map(\.code))
        let translations = TranslationStatus(pages: tree.pages, languages: config.languages.map(\.code))
        report.warnings = translations.warnings
        let sources = LossSources.load(directory: options.lossSources)
        let executions = ExecutionCache(file: options.cacheDirectory?.appendingPathComponent("exec-cache.json"), sources: sources,
                                        referenceFingerprint: LossSources.load(directory: options.referenceSources).fingerprint)
        clock.lap("discover", into: &report)

        let renderers = Dictionary(uniqueKeysWithValues: config.languages.map { language in
            let strings = theme.strings[language.code] ?? [:]
            return (language.code, PageRenderer(options: .init(copyLabel: strings["copy"] ?? "Copy"),
                                                expander: DirectiveExpander(language: language.code, strings: strings, sources: sources, fix: options.fix),
                                                executions: executions))
        })
        func referencePages(_ mentions: [String: [String: [(title: String, path: String)]]]) -> [SourcePage] {
            guard config.referencePages else { return [] }
            return config.languages.flatMap { language in
                ReferencePages(language: language.code, strings: theme.strings[language.code] ?? [:],
                               mentions: mentions[language.code] ?? [:]).pages()
            }
        }

        // Everything the helper must render, from every page (notes and reference pages), in one batch.
        // The reference pages' links and executable blocks do not depend on which notes mention a
        // loss: generated once here for collecting and link targets, and again below with mentions.
        let unlinkedReferencePages = referencePages([:])
        // A page whose markdown or executable blocks fail here contributes what it can; rendering
        // meets the same mistakes again and reports them together with every formula and link
        // error of the build, so an author sees all of them at once.
        let requests = try await concurrentMap(tree.pages + unlinkedReferencePages) { page in
            (try? renderers[page.language]!.requests(markdown: page.body, lineOffset: page.bodyLineOffset, path: page.displayPath)) ?? []
        }.reduce(into: Set<RenderRequest>()) { $0.formUnion($1) }
        report.formulas = requests.filter { if case .math = $0 { return true }; return false }.count
        report.codeBlocks = requests.count - report.formulas
        clock.lap("collect+execute", into: &report)

        var cache = RenderCache(file: options.cacheDirectory?.appendingPathComponent("render-cache.json"),
                                fingerprint: options.tools.fingerprint(macros: config.macros))
        report.helperProcesses = try cache.resolve(requests, tools: options.tools, macros: config.macros)
        cache.save()
        clock.lap("katex+highlight", into: &report)

        let resolver = LinkResolver(
            pageOutputs: Dictionary(uniqueKeysWithValues: (tree.pages + unlinkedReferencePages).map { ("\($0.language)/\($0.relativePath)", $0.outputPath) }),
            assetOutputs: Set(tree.assets.map(\.outputPath)), contentRoot: contentRoot)
        let frozenCache = cache
        let notes = try await concurrentMap(tree.pages) { page in
            try render(page, renderer: renderers[page.language]!, cache: frozenCache, resolver: resolver)
        }
        // Which notes mention each loss, for the reference pages.
        var mentions: [String: [String: [(title: String, path: String)]]] = [:]
        for note in notes.sorted(by: { ($0.source.frontMatter.weight, $0.source.key) < ($1.source.frontMatter.weight, $1.source.key) }) {
            for id in note.mentions.sorted() {
                mentions[note.source.language, default: [:]][id, default: []].append((note.title, note.source.relativePath))
            }
        }
        let references = try await concurrentMap(referencePages(mentions)) { page in
            try render(page, renderer: renderers[page.language]!, cache: frozenCache, resolver: resolver)
        }
        let rendered = notes + references
        report.pages = rendered.count
        report.assets = tree.assets.count
        report.executedBlocks = executions.executed
        executions.save()
        clock.lap("render", into: &report)

        try checkAnchors(rendered)
        clock.lap("links", into: &report)
        report.fixes = rendered.flatMap(\.fixes)
        guard !options.fix else { return report }

        let files = SiteAssembler(config: config, theme: theme, pages: rendered, translations: translations).files()
        clock.lap("theme", into: &report)

        guard options.write else { return report }
        let writer = try SiteWriter(output: options.outputDirectory)
        do {
            try writer.write(files)
            for asset in tree.assets {
                try writer.copy(asset.file, to: asset.outputPath)
            }
            try writer.copy(options.templatesDirectory.appendingPathComponent("assets"), to: "assets")
            try writer.copy(URL(fileURLWithPath: options.tools.katexDirectory).appendingPathComponent("katex.min.css"), to: "assets/katex/katex.min.css")
            try writer.copy(URL(fileURLWithPath: options.tools.katexDirectory).appendingPathComponent("fonts"), to: "assets/katex/fonts")
            try writer.commit()
        } catch {
            writer.discard()
            throw Diagnostic(displayPath(options.outputDirectory), stage: .output, "cannot write the site: \(error)")
        }
        clock.lap("write", into: &report)
        return report
    }

    static func render(_ page: SourcePage, renderer: PageRenderer, cache: RenderCache, resolver: LinkResolver) throws -> RenderedPage {
        var checks: [(page: String, fragment: String, url: String, location: SourceLocation)] = []
        let source = "\(page.language)/\(page.relativePath)"
        let output = try renderer.render(markdown: page.body, lineOffset: page.bodyLineOffset, path: page.displayPath,
                                         cache: cache) { link in
            switch resolver.resolve(link.url, isImage: link.isImage, source: source, sourceOutput: page.outputPath) {
            case .external:
                return nil
            case let .rewritten(url, check):
                if let check { checks.append((check.page, check.fragment, link.url, link.location)) }
                return url
            case let .broken(message, hint):
                throw Diagnostic(page.displayPath, line: link.location.line, column: link.location.column, stage: .links, message, hint: hint)
            }
        }
        let title = page.frontMatter.title ?? output.headings.first(where: { $0.level == 1 })?.text ?? (page.key.isEmpty ? "Home" : page.key)
        return RenderedPage(source: page, title: title, html: output.html, headings: output.headings, anchors: htmlIDs(output.html),
                            anchorChecks: checks, mentions: output.mentions, fixes: output.fixes)
    }

    static func checkAnchors(_ pages: [RenderedPage]) throws {
        let anchors = Dictionary(uniqueKeysWithValues: pages.map { ($0.source.outputPath, $0.anchors) })
        var diagnostics: [Diagnostic] = []
        for page in pages {
            for check in page.anchorChecks where anchors[check.page]?.contains(check.fragment) != true {
                let known = Array(anchors[check.page] ?? [])
                let suggestion = closest(to: check.fragment, in: known)
                diagnostics.append(Diagnostic(page.source.displayPath, line: check.location.line, column: check.location.column,
                                              stage: .links, "broken anchor: '\(check.url)' (no id '\(check.fragment)' on that page)",
                                              hint: suggestion.map { "did you mean '#\($0)'?" } ?? "anchors are the ids of headings, e.g. '## Focal loss' → #focal-loss"))
            }
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
    }

    /// A path as the user would type it: relative to the current folder when inside it.
    static func displayPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let cwd = FileManager.default.currentDirectoryPath
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}

/// Maps concurrently, keeping order; every failure is collected into one `BuildFailure`.
func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) throws -> R) async throws -> [R] {
    let results = await withTaskGroup(of: (Int, Result<R, Error>).self) { group in
        for (index, item) in items.enumerated() {
            group.addTask { (index, Result { try transform(item) }) }
        }
        var results = [Result<R, Error>?](repeating: nil, count: items.count)
        for await (index, result) in group { results[index] = result }
        return results.map { $0! }
    }
    var values: [R] = []
    var diagnostics: [Diagnostic] = []
    for result in results {
        switch result {
        case let .success(value): values.append(value)
        case let .failure(failure as BuildFailure): diagnostics += failure.diagnostics
        case let .failure(diagnostic as Diagnostic): diagnostics.append(diagnostic)
        case let .failure(error): throw error
        }
    }
    guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
    return values
}

/// Times the stages of a build (printed with `--verbose`), so a slow stage shows itself.
struct StageClock {
    private var last = DispatchTime.now()
    mutating func lap(_ stage: String, into report: inout BuildReport) {
        let now = DispatchTime.now()
        report.timings.append((stage, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9))
        last = now
    }
}
