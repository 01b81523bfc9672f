import Foundation
import Markdown
#if canImport(Glibc)
import Glibc
#endif

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
    /// Collect differing `expected:` numbers instead of failing (``DoctestFixRun`` rewrites them).
    public var fix = false
    /// Build pages whose front matter says `draft: true` too (`lossbook serve --drafts`).
    public var drafts = false
    /// Replaces `lossbook.yaml`'s `base_url` (`--base-url`, e.g. a preview deployment's address).
    public var baseURL: String?
    /// Warnings stop the build like errors, before anything is written (`--strict`).
    public var strict = false
    /// Whether the caller shows a skipped build's warnings field by field (JSON, colour, or
    /// filtered by `--quiet`) rather than as the text they were printed as (``KeptWarnings``):
    /// only then are the build stamp's warning fields checked when it is read (a tenth of an
    /// unchanged 2,000-page rebuild, whose 24,000 warnings are printed as their text).
    public var warningFieldsShown = true
    /// What `serve` keeps between rebuilds: unchanged pages are not rendered again (``BuildSession``).
    public var session: BuildSession?
    /// `lossbook build`: a session kept in the cache folder between processes (``PageMemo``), so
    /// that only the pages whose inputs changed are rendered again. Ignored with a `session`.
    public var keepsPages = false
    /// The process ends right after this build (`lossbook build`): the session it read and made
    /// (4,000 pages' memo entries at 2,000 pages per language) is left to the process's end rather
    /// than freed entry by entry, as a compiler leaves its trees (clang's `-disable-free`): freeing
    /// it was 23 ms of a 0.9 s prose edit's wall time at that size.
    public var endsProcess = false

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
    /// cmark-gfm parses of page markdown (one per page; the formula pre-pass is counted apart).
    public var parses = 0
    /// Pages whose rendering a `serve` session reused (their inputs had not changed).
    public var reusedPages = 0
    /// Pages left in `site/` as the previous build wrote them, neither put into the theme nor
    /// written (``AssembledPages``).
    public var keptPages = 0
    /// Site-wide files (search indexes, the sitemap) left in `site/` as the previous build wrote
    /// them (``SiteWideFile``).
    public var keptSiteFiles = 0
    /// Notes read by discovery; the others were taken from their records (``NoteRecords``).
    public var notesRead = 0
    /// Reused pages whose draft was decoded from the page memo: a page whose typeset page is kept
    /// too needs none of it (``SiteBuilder/draftOrKept(_:in:typesetInputs:kept:)``), a reference
    /// page's only when the notes that mention it changed.
    public var keptDraftsRead = 0
    /// Kept pages taken from the page memo's summaries file, not read from their own files
    /// (``PageMemo/Summaries``).
    public var keptPagesFromSummaries = 0
    /// Whether this build compared the compiled-in sources with their working copies; a build
    /// whose stamp shows both as the last build checked them does not (``BuildStamp/provenanceUnchanged``).
    public var provenanceChecked = false
    /// Whether the theme was read back from the cache folder (``Theme/Stored``), not loaded.
    public var themeFromCache = false
    /// Whether the catalog prose, and the reference pages, were read back from the cache folder
    /// (``KeptBetweenBuilds``), not read and made again.
    public var proseFromCache = false, referencePagesFromCache = false
    /// Whether this build recomputed the peer libraries' golden values (once per binary).
    public var peerCasesChecked = false
    /// Numbers `--fix` rewrote, as `path:line:col: old → new`.
    public var fixed: [String] = []
    /// Node.js helper processes started (0 when every formula came from the cache).
    public var helperProcesses = 0
    /// Stale or missing translations (the build still succeeds).
    public var warnings: [Diagnostic] {
        get { keptWarnings?.diagnostics ?? ownWarnings.flatMap(\.diagnostics) }
        set { ownWarnings = [.made(newValue)]; keptWarnings = nil; warningsBlock = nil }
        // In place when the warnings are one list already (a test's `report.warnings.removeLast()`);
        // else made one list first (a kept page's made into diagnostics). A stage adds its warnings
        // with ``addWarnings(_:)-([Diagnostic])``, which makes nothing.
        _modify {
            var list: [Diagnostic]
            if keptWarnings == nil, ownWarnings.count == 1, case let .made(only) = ownWarnings[0] {
                ownWarnings = []
                list = only
            } else {
                list = warnings
            }
            ownWarnings = []
            keptWarnings = nil
            warningsBlock = nil
            defer { ownWarnings = [.made(list)] }
            yield &list
        }
    }

    /// Adds warnings after those found so far, in place (the list is neither copied nor decoded).
    mutating func addWarnings(_ more: [Diagnostic]) {
        guard !more.isEmpty else { return }
        takeKeptWarnings()
        if case var .made(last) = ownWarnings.last {
            ownWarnings.removeLast()
            last += more
            ownWarnings.append(.made(last))
        } else {
            ownWarnings.append(.made(more))
        }
    }

    /// Adds a page's warnings after those found so far, as their bytes (``PageWarnings``).
    mutating func addWarnings(_ page: PageWarnings) {
        guard page.count > 0 else { return }
        takeKeptWarnings()
        ownWarnings.append(.page(page))
    }

    private mutating func takeKeptWarnings() {
        warningsBlock = nil
        if let kept = keptWarnings { ownWarnings = [.made(kept.diagnostics)]; keptWarnings = nil }
    }

    /// The ``warnings`` as a build without colour prints them, one ``Diagnostic/appendDescription(to:)``
    /// line each, made once for the build stamp (``BuildStamp/Blocks``): printed as they are, not
    /// formatted a second time (24,000 warnings on a 2,000-page-per-language corpus). Nil when the
    /// build kept no stamp; dropped when ``warnings`` change.
    public var warningsText: Data? { warningsBlock?.data }
    /// The printed lines of ``warningsText``, as the stamp's blocks hold them (joined only when printed).
    var warningsBlock: BuildStamp.Blocks.Block?
    /// This build's warnings in the order found: lists of diagnostics, and pages' warnings as their
    /// bytes (``PageWarnings``), made into diagnostics only when ``warnings`` is read.
    private(set) var ownWarnings: [WarningPart] = []
    enum WarningPart {
        case made([Diagnostic])
        case page(PageWarnings)

        var diagnostics: [Diagnostic] {
            switch self {
            case let .made(list): return list
            case let .page(page): return page.diagnostics
            }
        }

        var count: Int {
            switch self {
            case let .made(list): return list.count
            case let .page(page): return page.count
            }
        }
    }
    /// A skipped build's warnings as the stamp keeps them (``upToDate``): printed from their kept
    /// text, made into ``warnings`` only when read.
    public internal(set) var keptWarnings: KeptWarnings?
    /// How many ``warnings`` there are, without making them from their bytes.
    public var warningCount: Int { keptWarnings?.count ?? ownWarnings.reduce(0) { $0 + $1.count } }
    /// Whether every one of ``warnings`` is a warning, not an error, told without making them from
    /// their bytes (``PageWarnings/allWarnings``); false for a skipped build's.
    public var warningsAreAllWarnings: Bool {
        keptWarnings == nil && ownWarnings.allSatisfy { part in
            switch part {
            case let .made(list): return list.allSatisfy(\.isWarning)
            case let .page(page): return page.allWarnings
            }
        }
    }
    /// Whether one of ``warnings`` has ``Diagnostic/details``, told without making them from their bytes.
    public var warningsHaveDetails: Bool {
        keptWarnings == nil && ownWarnings.contains { part in
            switch part {
            case let .made(list): return list.contains { !$0.details.isEmpty }
            case let .page(page): return !page.keepsEverything
            }
        }
    }
    /// `expected:` numbers that differ from the computed ones (a `--fix` run's edits).
    public var fixes: [FixEdit] = []
    /// Node.js, KaTeX and highlight.js versions, found before the build (`--verbose` prints them).
    public var tools: ToolVersions?
    /// Seconds per stage, in order: wall clock, and CPU (user + system, all threads) — a stage
    /// whose CPU is well under twice its wall time on two cores ran on one of them.
    public var timings: [(stage: String, seconds: Double, cpu: Double)] = []
    /// Nothing a build reads changed since the last one, whose site is still in place: this one
    /// stopped after `load` (``BuildStamp``); the counts are the last build's.
    public var upToDate = false
}

/// What ``BuildOptions/endsProcess`` leaves to the process's end instead of freeing.
enum ProcessEnd {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kept: [AnyObject] = []

    static func keep(_ object: AnyObject?) {
        guard let object else { return }
        lock.withLock { kept.append(object) }
    }

    /// A value whose storage (a dictionary's, an array's) is kept with it.
    static func keep<Value>(value: Value) { keep(Box(value)) }

    private final class Box<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// glibc grows each thread's heap 128 KB past what an allocation needs (`M_TOP_PAD`), one
    /// `mprotect` and a new top chunk per step: after a prose edit at 2,000 pages per language,
    /// growing and trimming the heaps was 6 % of the CPU samples (62,000 `mprotect` calls). A build
    /// whose process then ends has no use for giving memory back as it goes, so its heaps grow and
    /// are trimmed 64 MB at a time (1,500 calls); pages past what is used are never touched, so the
    /// peak resident memory does not change (128 against 129 MB; `scripts/bench/prose-edit.sh`
    /// twelve pairs: CPU 0.36 → 0.34 s).
    static func growHeapsInLargeSteps() { _ = heapsGrowInLargeSteps }

    /// Set once a process.
    private static let heapsGrowInLargeSteps: Void = {
        #if canImport(Glibc)
        // Swift's Glibc module shows neither `mallopt` nor `M_TOP_PAD` (<malloc.h>): looked up by name.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let topPad: Int32 = -2
        _ = cFunction("mallopt", as: MallOpt.self)?(topPad, 64 << 20)
        #endif
    }()
}

/// The pipeline, one stage a method, each taking the previous one's output:
///
///     load → discover → execute → render → typeset → link-check → assemble → write
///
/// Every page is parsed once (in `execute`) and rendered once (in `render`, with placeholders
/// for formulas and highlighted code, which `typeset` fills after one batch for the whole site).
/// Mistakes are collected across stages, so a run reports all of them at once.
public struct SiteBuilder {
    /// With `options.fix`, collects the `expected:` numbers that differ (`BuildReport.fixes`)
    /// instead of failing, and stops before the theme; ``DoctestFixRun`` applies them.
    @discardableResult
    public static func build(_ options: BuildOptions) async throws -> BuildReport {
        if options.endsProcess { ProcessEnd.growHeapsInLargeSteps() }
        var builder = SiteBuilder(options)
        defer {
            if options.endsProcess {
                if let session = builder.options.session {
                    session.helpers.stop() // what its deinit would have done
                    ProcessEnd.keep(session)
                }
                // The builder's values too, its report among them (24,000 warnings at 2,000 pages
                // per language), whose storage the report returned to the caller shares: freed here
                // and in the caller, one after another on one thread, they were 0.8 % of a prose
                // edit's CPU samples, at its very end.
                ProcessEnd.keep(value: builder)
            }
        }
        do {
            return try await builder.run()
        } catch let failure as BuildFailure where !builder.diagnostics.isEmpty {
            // A stage that stops the run still reports what the stages before it collected (each
            // once: a set, as a note with 10,000 broken links made this a 10⁸-comparison search).
            let collected = Set(builder.diagnostics)
            throw BuildFailure(builder.diagnostics + failure.diagnostics.filter { !collected.contains($0) })
        } catch let diagnostic as Diagnostic where !builder.diagnostics.isEmpty {
            throw BuildFailure(builder.diagnostics + (builder.diagnostics.contains(diagnostic) ? [] : [diagnostic]))
        }
    }

    private(set) var options: BuildOptions
    var report = BuildReport()
    private var clock = StageClock()
    /// Mistakes found so far, reported together once the link check has run.
    private(set) var diagnostics: [Diagnostic] = []
    /// KaTeX helpers a build without a render cache starts while it reads the notes (``startHelpers(_:)``).
    var helpers: RenderWorkers?
    /// Where a `build` keeps its session between processes (``startSession(_:)``).
    private(set) var pageMemo: PageMemo?
    /// With the page memo: how each page went into the theme, so that an unchanged one is left in place.
    private(set) var assembledPages: AssembledPages?
    /// The spare site's listing, walked while the build makes the site (``SpareListing/early(_:)``).
    private(set) var spareWalk: Ahead<SpareListing.Early?>?
    /// With the page memo and the build stamp: what discovery made of each note, and the stamp's
    /// index of their files (``NoteRecords``), so that only the notes whose bytes changed are read.
    private(set) var knownNotes: (records: NoteRecords, index: InputIndex)?
    /// This build's note records, saved for the next build with the site.
    var noteRecords: [NoteRecords.Kept] = []
    /// The notes' commit dates, asked of `git` when a build starts (``GitDates/ahead(_:)``); nil in a
    /// `serve` session, which keeps them until the repository's HEAD moves.
    private(set) var gitDatesAhead: Ahead<[String: String]>?

    init(_ options: BuildOptions) { self.options = options }

    mutating func run() async throws -> BuildReport {
        try preflight()
        let stamp = BuildStamp(options: options, tools: report.tools, sources: provenanceFolders.map(\.0))
        // Two indexes of every input file (the last build's and this one's): freeing them was 2 %
        // of an unchanged 2,000-page rebuild's CPU samples.
        if options.endsProcess { ProcessEnd.keep(value: stamp) }
        if let stamp, let previous = stamp.unchanged(output: options.outputDirectory) {
            lap("load")
            (report.pages, report.assets, report.formulas, report.codeBlocks) = (previous.pages, previous.assets, previous.formulas, previous.codeBlocks)
            report.keptWarnings = previous.keptWarnings
            if options.strict, report.warningCount > 0 { throw BuildFailure(report.warnings) }
            report.upToDate = true
            // Files read again, their metadata not trusted (racily clean when the last build
            // looked, or touched and unchanged) and trusted now: the stamp is saved with their new
            // metadata, or every later build with nothing changed reads them all again (a corpus
            // built within two seconds of being written: all 4,000 notes, 18 % of each such build's
            // samples). Files still racy are not worth a save: the next build reads them anyway.
            if stamp.index.hashedAndTrusted > 0, let kept = previous.keptWarnings {
                stamp.save(previous, output: options.outputDirectory, blocks: BuildStamp.Blocks(kept: kept, index: stamp.index))
            }
            lap("unchanged")
            return report
        }
        let config = try readConfig()
        stamp?.remove()
        startSession(config)
        if let pageMemo, let stamp {
            knownNotes = (NoteRecords(cache: pageMemo.folder.deletingLastPathComponent(), identity: pageMemo.identity), stamp.index)
        } else if keepsNoteRecordsInSession, let session = options.session {
            knownNotes = session.knownNotes(key: Self.noteRecordsKey(config), content: options.contentDirectory, index: stamp?.index)
        }
        if !options.fix, options.session == nil || pageMemo != nil {
            gitDatesAhead = GitDates.ahead(options.contentDirectory, keptIn: pageMemo != nil ? options.cacheDirectory : nil)
        }
        let loaded = try load(config, provenanceKnown: stamp?.provenanceUnchanged == true)
        lap("load")
        // After `load`, whose memo read would share the cores with it (a prose edit at 2,000 pages
        // per language, twelve alternated: `load` 58 → 78 ms when walked from the start; walked
        // from here, the whole edit 212 → 204 ms against walked from the start).
        startSpareWalk()
        startHelpers(loaded)
        var discovered = try discover(loaded)
        lap("discover")
        // Each stage's input is given up to it (`take()`): a big note's parsed document, draft and
        // typeset HTML are not held through the stages after the one that reads them.
        var executed: ExecutedSite? = try await execute(discovered)
        let proseWarnings = checkProseNumbers(executed!)
        // Parsed and checked: from here on only the pages' documents hold their markdown.
        discovered.forgetMarkdown(parsed: executed!.parsedPages)
        executed!.forgetMarkdown()
        lap("execute")
        var drafts: DraftSite? = try await render(executed.take()!, proseWarnings: proseWarnings)
        lap("render")
        var pages: [RenderedPage]? = try await typeset(drafts.take()!)
        lap("typeset")
        linkCheck(pages!)
        lap("link-check")
        // `--fix` rewrites what it can even when other mistakes remain; the build after it reports them.
        report.fixes = pages!.flatMap(\.fixes)
        guard !options.fix else { return report }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
        if options.strict, report.warningCount > 0 { throw BuildFailure(report.warnings) }
        if pageMemo != nil, let session = options.session { report.keptPagesFromSummaries = session.keptAsRead.values.count(where: \.isFromSummaries) }
        let files = assemble(pages.take()!, in: discovered)
        report.keptPages = files.kept.count - files.keptSiteFiles
        report.keptSiteFiles = files.keptSiteFiles
        try checkTemplateUse(discovered)
        try checkKeptHTML()
        lap("assemble")
        guard options.write else { return report }
        // The warnings are all found: the stamp's blocks are made beside the write stage.
        let warnings = report.ownWarnings
        // Its index's racy entries are looked at again there, their margin passed (``InputIndex/settle(now:)``).
        let stampBlocks = stamp.map { stamp in
            Ahead {
                var index = stamp.index
                index.settle()
                return BuildStamp.Blocks(parts: warnings, index: index, previous: stamp.previousWarnings)
            }
        }
        try write(files, in: discovered)
        // What the stages made, left to the process's end with the rest (``ProcessEnd``).
        if options.endsProcess { ProcessEnd.keep(value: (discovered, files)) }
        lap("write")
        saveForNextBuild(stamp, blocks: stampBlocks)
        lap("save")
        if let blocks = stampBlocks?.value, blocks.count == report.warningCount { report.warningsBlock = blocks.text }
        return report
    }

    /// Whether this build's note records are kept in its session's memory (`serve`), not in the
    /// cache folder beside the page memo (`build`).
    var keepsNoteRecordsInSession: Bool { options.session != nil && pageMemo == nil && !options.fix }

    /// What a `serve` session's note records are made under besides the notes' bytes (the limits they
    /// are read and split with; the binary, the folders and the options are the session's own).
    static func noteRecordsKey(_ config: SiteConfig) -> String {
        "\(config.limits.noteBytes) \(config.limits.yamlDepth) \(config.limits.yamlNodes)"
    }

    /// For ``BuildOptions/keepsPages``: a session of the pages the last build kept (when they
    /// still apply), and where this build keeps its own once its site is in place.
    mutating func startSession(_ config: SiteConfig) {
        guard options.session == nil, let memo = PageMemo(options: options, config: config) else { return }
        options.session = memo.session()
        pageMemo = memo
        assembledPages = AssembledPages(cache: memo.folder.deletingLastPathComponent(), identity: memo.identity)
    }

    /// Walks the spare site on its own thread when this build will stage the site in it
    /// (``SiteWriter``): a build that writes whole, with a cache folder.
    mutating func startSpareWalk() {
        guard options.write, !options.fix, options.session == nil || pageMemo != nil,
              let spare = options.cacheDirectory?.appendingPathComponent(SiteWriter.spareName) else { return }
        spareWalk = Ahead { SpareListing.early(spare) }
    }

    /// What the next build reads to skip work, once the site is in place: the build stamp, the note
    /// records, the page memo and how each page went into the theme. Files apart, written side by side (one
    /// after another they were 5 % of a full 500-page rebuild's CPU samples, on one core).
    ///
    /// The page memo is saved from this thread, the others each from the global queue: its files
    /// are written by `concurrentPerform`, which, inside another `concurrentPerform`'s job, gets
    /// that job's share of the cores (one of two), and a build that made every page writes 4,000
    /// of them (650 of a 1,660 ms rebuild on a tmpfs, on one core).
    private func saveForNextBuild(_ stamp: BuildStamp?, blocks: Ahead<BuildStamp.Blocks>?) {
        let (report, output, session, pageMemo, assembledPages) = (report, options.outputDirectory, options.session, pageMemo, assembledPages)
        let (records, notes, cache) = (knownNotes?.records, noteRecords, options.cacheDirectory?.path)
        let saves: [@Sendable () -> Void] = [
            { stamp?.save(report, output: output, blocks: blocks?.value) },
            { records?.save(notes) },
            { assembledPages?.save(output: output) },
            // The cache folder's own files (the build stamp, the summaries, the assembled pages'
            // record) are each renewed through a temporary file beside it: one a killed build left
            // there (as large as the file, 27 MB for the summaries at 2,000 pages per language) is
            // removed by the next build that saves. The caches' folders prune their own.
            { if let cache { SiteFile.removeLeftOverTemporaries(in: cache) } },
        ]
        let group = DispatchGroup()
        for save in saves { DispatchQueue.global().async(group: group, execute: save) }
        if let pageMemo, let session { pageMemo.save(session) }
        group.wait()
    }

    /// A kept page's HTML that could not be read back from the page memo (another build replaced
    /// its file with another page meanwhile) stops the build before it writes (``KeptHTML``).
    func checkKeptHTML() throws {
        guard let unread = options.session?.unreadKeptHTML.sorted(), let first = unread.first else { return }
        throw Diagnostic(first, stage: .output, "\(unread.count) kept page(s) changed in the page memo while this build read them",
                         hint: "another build used the same cache folder; build again")
    }

    mutating func lap(_ stage: String) { clock.lap(stage, into: &report) }

    /// Keeps a stage's mistakes for the end of the run.
    mutating func collect(_ found: [Diagnostic]) { diagnostics += found }

    /// A path as the user would type it: relative to the current folder when inside it.
    static func displayPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let cwd = FileManager.default.currentDirectoryPath
        if PathBytes.isInside(path, cwd), !PathBytes.equal(cwd, "/") { return String(Substring(path.utf8.dropFirst(cwd.utf8.count + 1))) }
        return path
    }
}

/// Maps concurrently, keeping order; every failure is collected into one `BuildFailure`.
///
/// One task per core takes the items' indices in turn (``WorkQueue``), not one task per item: a
/// rebuild after a prose edit maps 4,000 kept pages at each stage, where making, scheduling and
/// collecting a task for each cost more than the page's own work. Taken one at a time, a slow item
/// (a big note) still leaves the others to the other cores.
func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) throws -> R) async throws -> [R] {
    let slots = ConcurrentResults<Result<R, Error>>(count: items.count)
    let queue = WorkQueue(count: items.count)
    let workers = min(items.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<workers {
            group.addTask {
                while let index = queue.next() { slots.set(index, Result { try transform(items[index]) }) }
            }
        }
    }
    var values: [R] = []
    values.reserveCapacity(items.count)
    var diagnostics: [Diagnostic] = []
    var other: Error?
    for index in items.indices {
        switch slots[index]! {
        case let .success(value): values.append(value)
        case let .failure(failure as BuildFailure): diagnostics += failure.diagnostics
        case let .failure(diagnostic as Diagnostic): diagnostics.append(diagnostic)
        case let .failure(error): other = other ?? error
        }
    }
    if let other { throw other }
    guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
    return values
}

/// Times the stages of a build (printed with `--verbose`), so a slow stage shows itself.
struct StageClock {
    private var last = DispatchTime.now()
    private var lastCPU = StageClock.processCPU()
    mutating func lap(_ stage: String, into report: inout BuildReport) {
        let now = DispatchTime.now(), cpu = Self.processCPU()
        report.timings.append((stage, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9, cpu - lastCPU))
        (last, lastCPU) = (now, cpu)
    }

    /// Seconds of CPU the process used so far, user and system, over all its threads.
    static func processCPU() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = RUSAGE_SELF.rawValue
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
