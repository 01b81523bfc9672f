import Foundation

/// What one `lossbook serve` keeps between its rebuilds, so a rebuild redoes only what an edit
/// touched: a page whose inputs are unchanged is neither parsed, nor executed, nor rendered again
/// (its rendered draft, prose-number warnings and all, is reused), and the tools found by the
/// preflight, the notes' commit dates and the execution cache are looked up once.
///
/// A page's inputs are its own text and front matter plus the site's shape: every page's path and
/// output path, the files beside the notes (images, cited data), the configuration and the theme's
/// strings. A change to any of these renders every page again; a prose edit renders one. The
/// theme, navigation, search index and link check still run over the whole site (they are cheap
/// next to rendering), so a title change reaches every page that shows it.
///
/// `build` starts a session from the pages a previous build kept in the cache folder
/// (``PageMemo``); `check` runs without one: a fresh process renders everything (from the caches
/// on disk).
public final class BuildSession: @unchecked Sendable {
    struct Entry: Codable {
        var inputs: String
        var draft: KeptDraft
        /// Its prose numbers' warnings, as the build stamp keeps them.
        var proseWarnings: PageWarnings
    }

    /// A page's draft as a session keeps it: whole in a `serve` session; still encoded
    /// (``CompactCoding``) as the page memo read it, and decoded only when a build needs it. A page
    /// whose typeset page is kept too needs nothing of its draft but what that page holds
    /// (``SiteBuilder/draftOrKept(_:in:typesetInputs:kept:)``): decoding every kept draft was a
    /// twentieth of a memo-fed rebuild's CPU at 4,000 pages per language.
    enum KeptDraft: Codable {
        case page(SiteBuilder.DraftPage)
        /// Its bytes: a slice of the memo file's summary they were read in (``PageMemo/KeptPage``),
        /// not a copy of them (4,000 copies of 3 KB drafts that were never decoded, after a prose
        /// edit at 2,000 pages per language).
        case encoded(ArraySlice<UInt8>)
        /// Its bytes left in the memo file, after the summary (``PageMemo``), read when a build
        /// first asks: a note whose typeset page is kept needs none of them.
        case inFile(PageMemo.KeptBytes)

        init(from decoder: Decoder) throws {
            self = .encoded(ArraySlice(try decoder.singleValueContainer().decode([UInt8].self)))
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .page(page):
                guard let bytes = page.compactBytes() else {
                    throw EncodingError.invalidValue(page.source.displayPath, .init(codingPath: encoder.codingPath, debugDescription: "a draft past 4 GiB"))
                }
                try container.encode(bytes)
            case let .encoded(bytes): try container.encode(Array(bytes))
            case let .inFile(kept):
                guard let bytes = kept.bytes else {
                    throw EncodingError.invalidValue(kept.place.path, .init(codingPath: encoder.codingPath, debugDescription: "the memo file's draft could not be read back"))
                }
                try container.encode(bytes)
            }
        }

        /// Whether the draft is still in its encoded form (a memo's), not decoded.
        var isEncoded: Bool {
            if case .page = self { return false }
            return true
        }

        /// The draft's encoded bytes (nil when they cannot be read back from the memo file).
        var bytes: [UInt8]? {
            switch self {
            case let .page(page): return page.compactBytes()
            case let .encoded(bytes): return Array(bytes)
            case let .inFile(kept): return kept.bytes
            }
        }

        /// The draft; nil when its bytes are not one (a damaged memo file).
        var page: SiteBuilder.DraftPage? {
            switch self {
            case let .page(page): return page
            case let .encoded(bytes): return try? CompactCoding.decode(SiteBuilder.DraftPage.self, from: Array(bytes))
            case let .inFile(kept): return kept.bytes.flatMap { try? CompactCoding.decode(SiteBuilder.DraftPage.self, from: $0) }
            }
        }
    }

    /// A page's typeset HTML, the mistakes found typesetting it, and what it was made from.
    struct Typeset: Codable {
        var inputs: String
        var page: RenderedPage
        var diagnostics: [Diagnostic]
        /// The formulas and code blocks its draft asked for (the build's counts are of the site's distinct ones).
        var requests: [RenderRequest]
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var typeset: [String: Typeset] = [:]
    /// By output path: the page's HTML in the theme, with what it was made from and the keys of its context.
    private var assembled: [String: (identity: String, inputs: UInt64, context: PageContext, html: String, keys: ContextKeys.Found)] = [:]
    private var tools: (key: String, versions: ToolVersions)?
    private var gitDates: (stamp: String, dates: [String: String])?
    /// The content folder's index and the notes' records of the last build (``knownNotes(key:content:index:)``).
    private var notes: (key: String, index: InputIndex, records: [String: NoteRecords.Kept])?
    private var executions: (key: String, cache: ExecutionCache)?
    private var values: [String: (key: String, value: Any)] = [:]
    /// The KaTeX/highlight.js helpers, kept running from one rebuild to the next (stopped with the session).
    let helpers = RenderWorkers()

    /// A value made by a pure function of `key`, kept under `name` until the key changes.
    func memo<T>(_ name: String, key: String, _ make: () throws -> T) rethrows -> T {
        if name.hasPrefix(Self.searchPrefix) { awaitKept() }
        lock.lock()
        if let kept = values[name], kept.key == key, let value = kept.value as? T { lock.unlock(); return value }
        lock.unlock()
        let value = try make()
        lock.lock(); values[name] = (key, value); lock.unlock()
        return value
    }

    /// What the last build wrote, for the next one to write only what changed (``SiteUpdater``).
    var written: SiteUpdater.Written? {
        get { lock.lock(); defer { lock.unlock() }; return lastWritten }
        set { lock.lock(); lastWritten = newValue; lock.unlock() }
    }
    private var lastWritten: SiteUpdater.Written?
    /// Pages whose draft the last build reused.
    public private(set) var reused = 0

    /// Whether pages in the theme are kept for a next build in this process (``assembled(_:identity:inputs:context:_:)``):
    /// a `serve` session's are; a session made for one `build` (``PageMemo``) would keep them for
    /// nothing, walking every page's context for the template check after the check had settled
    /// (6 % of a 4,000-page rebuild's CPU).
    let keepsThemePages: Bool

    public init() {
        keepsThemePages = true
        arrival = nil
    }

    /// A page's entry in the search index (``SearchIndex/entry(_:)``), with what it was made from.
    struct SearchEntry: Codable {
        var key: String
        var json: [UInt8]
    }

    /// What a previous process kept (``PageMemo``): pages by session key (read when asked for,
    /// ``PageMemo/KeptPage``, each with the inputs its file records) and search entries by output path.
    struct Kept {
        var pages: [String: PageMemo.KeptPage] = [:]
        var search: [String: SearchEntry] = [:]
        /// Kept pages whose HTML could not be read back from their files (``KeptHTML``).
        var misses: KeptHTML.Misses?
        /// The summaries file they were read with (``PageMemo/Summaries``).
        var summaries: PageMemo.Summaries.Pack?
        /// The names the memo folder held when they were read, of every identity (``PageMemo/save(_:)``
        /// removes a page's old file before it renames the new one into place only when there was one).
        var names: Set<String> = []
    }

    /// A session for one build, holding the pages a previous process kept (``PageMemo``), which
    /// `read` reads on a thread of its own while the build loads its configuration, theme and notes:
    /// whatever reads or changes kept pages waits until they are in. Reading them was a sixth of a
    /// full rebuild's CPU at 500 pages per language, on a path that left a core idle.
    init(reading read: @escaping @Sendable () -> Kept) {
        keepsThemePages = false
        let arrival = DispatchGroup()
        self.arrival = arrival
        arrival.enter()
        // A thread, not a task: the cooperative pool's threads may be the ones waiting for it.
        Thread.detachNewThread { [self] in
            let kept = read()
            lock.lock()
            // Kept apart from what this build stores, which takes their place (``entry(_:inputs:)``).
            keptPages = kept.pages
            pagesAsRead = kept.pages
            values.reserveCapacity(values.count + kept.search.count)
            for (output, entry) in kept.search { values[Self.searchPrefix + output] = (entry.key, entry.json) }
            keptHTMLMisses = kept.misses
            keptSummariesFile = kept.summaries
            namesAsListed = kept.names
            lock.unlock()
            arrival.leave()
        }
    }

    /// Left when the kept pages are in (``init(reading:)``), waited on before they are used; nil for a
    /// `serve` session, which has none to read.
    private let arrival: DispatchGroup?
    /// ``Kept/pages``, less those gone from the site (``finish(keeping:outputs:reused:)``).
    private var keptPages: [String: PageMemo.KeptPage] = [:]
    private var keptHTMLMisses: KeptHTML.Misses?

    /// The page memo files whose kept HTML a build asked for and could not read back (``KeptHTML``).
    var unreadKeptHTML: [String] {
        awaitKept()
        lock.lock(); defer { lock.unlock() }
        return keptHTMLMisses?.all ?? []
    }

    private func awaitKept() { arrival?.wait() }

    /// The pages, for ``PageMemo`` to save: those this build stored, and those a previous process
    /// kept that are still in the site (a page in both is this build's).
    var pages: (entries: [String: Entry], typeset: [String: Typeset], kept: [String: PageMemo.KeptPage]) {
        awaitKept()
        lock.lock(); defer { lock.unlock() }
        return (entries, typeset, keptPages)
    }

    /// The pages a previous process kept, all of them, as they were read (``Kept/pages``).
    var keptAsRead: [String: PageMemo.KeptPage] {
        awaitKept()
        lock.lock(); defer { lock.unlock() }
        return pagesAsRead
    }
    private var pagesAsRead: [String: PageMemo.KeptPage] = [:]

    /// The summaries file the kept pages were read with (``PageMemo/Summaries``), if any.
    var keptSummaries: PageMemo.Summaries.Pack? {
        awaitKept()
        lock.lock(); defer { lock.unlock() }
        return keptSummariesFile
    }
    private var keptSummariesFile: PageMemo.Summaries.Pack?

    /// The memo folder's names as the kept pages were read (``Kept/names``).
    var keptFolderNames: Set<String> {
        awaitKept()
        lock.lock(); defer { lock.unlock() }
        return namesAsListed
    }
    private var namesAsListed: Set<String> = []

    /// Whether a value kept under `name` may be asked for again: always in `serve`'s session (its
    /// next build asks), only for a search entry in a build's own (``init(reading:)``), whose
    /// search entries ``PageMemo`` saves for the next process and whose other values end with it
    /// (each asked once, as nothing kept them before).
    func mayAskAgain(_ name: String) -> Bool { arrival == nil || name.hasPrefix(Self.searchPrefix) }

    /// The search index's entry of the page at `output`, as this session made or kept it.
    func searchEntry(_ output: String) -> SearchEntry? {
        awaitKept()
        lock.lock(); defer { lock.unlock() }
        guard let kept = values[Self.searchPrefix + output], let json = kept.value as? [UInt8] else { return nil }
        return SearchEntry(key: kept.key, json: json)
    }

    deinit { helpers.stop() }

    /// A page's draft entry when its inputs are `inputs`: the one this build stored, else the one a
    /// previous process kept (read now, outside the session's lock, on the asking thread).
    func entry(_ page: String, inputs: String) -> Entry? {
        awaitKept()
        lock.lock()
        let (own, kept) = (entries[page], keptPages[page])
        lock.unlock()
        if let own { return own.inputs == inputs ? own : nil }
        guard let kept, kept.entryInputs == inputs else { return nil }
        return kept.entry
    }

    func store(_ page: String, _ entry: Entry) {
        awaitKept()
        lock.lock(); entries[page] = entry; lock.unlock()
    }

    /// A page's typeset HTML (and the mistakes found typesetting it) when its draft, mentions
    /// and tools are those it was typeset with.
    /// - Parameter source: the page's source as this build found it, for a kept page read now to
    ///   take instead of its own (``PageMemo/KeptPage/typeset(source:)``).
    /// - Parameter fingerprint: the tools' fingerprint, which follows `inputs` after a space in the
    ///   typeset page's inputs (compared in place: not joined to them for each kept page at each stage).
    func rendered(_ page: String, inputs: String, fingerprint: String, source: SourcePage? = nil) -> Typeset? {
        awaitKept()
        lock.lock()
        let (own, kept) = (typeset[page], keptPages[page])
        lock.unlock()
        func matches(_ made: String?) -> Bool { made.map { Self.joins($0, inputs, fingerprint) } ?? false }
        if let own { return matches(own.inputs) ? own : nil }
        guard let kept, matches(kept.typesetInputs), let typeset = kept.typeset(source: source), matches(typeset.inputs) else { return nil }
        return typeset
    }

    /// Whether `joined` is `first`, a space and `second`, byte for byte.
    static func joins(_ joined: String, _ first: String, _ second: String) -> Bool {
        var (joined, first, second) = (joined, first, second)
        return joined.withUTF8 { whole in
            first.withUTF8 { first in
                second.withUTF8 { second in
                    guard whole.count == first.count + 1 + second.count, whole[first.count] == UInt8(ascii: " ") else { return false }
                    let whole = UnsafeRawBufferPointer(whole)
                    return holdsBytes(whole, UnsafeRawBufferPointer(first), at: 0) && holdsBytes(whole, UnsafeRawBufferPointer(second), at: first.count + 1)
                }
            }
        }
    }

    func storeRendered(_ page: String, _ typeset: Typeset) {
        awaitKept()
        lock.lock(); self.typeset[page] = typeset; lock.unlock()
    }

    /// The page in the theme (and its context's keys), made again only when the page (its
    /// typeset HTML's `identity`) or its context changed. The typed context is compared as a
    /// whole (synthesised `Equatable`), so no value a template sees can be left out of the
    /// comparison; it is not even made when the identity and what every context is made from
    /// besides the page (`inputs`, ``SiteAssembler/contextInputs(orders:stringsHashes:)``) are
    /// those the kept page had: they make the same context (making and comparing 4,000 contexts
    /// was half of a prose edit's rebuild at 2,000 pages per language).
    func assembled(_ path: String, identity: String, inputs: UInt64, context: () -> PageContext,
                   _ make: (PageContext) -> (html: String, keys: ContextKeys.Found)) -> (html: String, keys: ContextKeys.Found) {
        lock.lock()
        let kept = assembled[path]
        lock.unlock()
        if let kept, kept.identity == identity, kept.inputs == inputs { return (kept.html, kept.keys) }
        let context = context()
        if let kept, kept.identity == identity, kept.context == context {
            lock.lock(); assembled[path]?.inputs = inputs; lock.unlock()
            return (kept.html, kept.keys)
        }
        let made = make(context)
        lock.lock(); assembled[path] = (identity, inputs, context, made.html, made.keys); lock.unlock()
        return made
    }

    /// Forgets pages that are gone (renamed, deleted), and counts the reused ones.
    /// - Parameters:
    ///   - pages: the pages of this build, by ``SiteBuilder/sessionKey(_:)``;
    ///   - outputs: their output paths (what the theme's and the search index's pieces are kept by).
    func finish(keeping pages: Set<String>, outputs: Set<String>, reused count: Int) {
        awaitKept()
        lock.lock()
        Self.remove(from: &entries) { !pages.contains($0) }
        Self.remove(from: &typeset) { !pages.contains($0) }
        Self.remove(from: &keptPages) { !pages.contains($0) }
        Self.remove(from: &assembled) { !outputs.contains($0) }
        Self.remove(from: &values) { name in
            name.hasPrefix(Self.searchPrefix) && !outputs.contains(String(name.dropFirst(Self.searchPrefix.count)))
        }
        reused = count
        lock.unlock()
    }

    /// Removes the entries whose keys are `gone`, in place: after a prose edit none is, and
    /// filtering each table into a new one (4,000 entries each, five tables) was 4 % of a `serve`
    /// rebuild's CPU samples at 2,000 pages per language.
    private static func remove<Value>(from table: inout [String: Value], where gone: (String) -> Bool) {
        let keys = table.keys.filter(gone)
        for key in keys { table.removeValue(forKey: key) }
    }

    /// How ``memo(_:key:_:)`` names a page's search entry: this, then its output path.
    static let searchPrefix = "search "

    func tools(for key: String, _ find: () throws -> ToolVersions) rethrows -> ToolVersions {
        lock.lock()
        if let tools, tools.key == key { lock.unlock(); return tools.versions }
        lock.unlock()
        let versions = try find()
        lock.lock(); tools = (key, versions); lock.unlock()
        return versions
    }

    /// The execution cache of the last build, read from disk once per session (and per file and
    /// fingerprint), ready for another build.
    func executions(key: String, _ make: () -> ExecutionCache) -> ExecutionCache {
        lock.lock()
        if let executions, executions.key == key {
            lock.unlock()
            executions.cache.beginBuild()
            return executions.cache
        }
        lock.unlock()
        let cache = make()
        lock.lock(); executions = (key, cache); lock.unlock()
        return cache
    }

    /// The notes' commit dates, looked up again only when the repository's HEAD has moved.
    func gitDates(in directory: URL, _ find: () -> [String: String]) -> [String: String] {
        let stamp = Self.headStamp(directory)
        lock.lock()
        if let gitDates, stamp != nil, gitDates.stamp == stamp { lock.unlock(); return gitDates.dates }
        lock.unlock()
        let dates = find()
        if let stamp { lock.lock(); gitDates = (stamp, dates); lock.unlock() }
        return dates
    }

    /// For a `serve` session's build: the content folder's index (``InputIndex``: a file whose size,
    /// times, inode and device are those of the last build's index is not read again) and the
    /// notes' records the last build kept (``keepNotes(key:index:records:)``) when made under the
    /// same `key` (the limits a note is read and split with), for discovery to read only the notes
    /// whose bytes changed (``NoteRecords``), as `build` does with its build stamp. Reading every note
    /// was a third of a `serve` rebuild's CPU after a prose edit at 2,000 pages per language.
    /// - Parameter given: the build stamp's index, which covers the content folder: taken instead of
    ///   walking it a second time.
    func knownNotes(key: String, content: URL, index given: InputIndex? = nil) -> (records: NoteRecords, index: InputIndex) {
        lock.lock()
        let last = notes?.key == key ? notes : nil
        lock.unlock()
        if let given { return (NoteRecords(kept: last?.records ?? [:]), given) }
        var index = InputIndex(), hasher = StampHasher()
        index.walk(content, kept: last?.index ?? InputIndex(), into: &hasher)
        return (NoteRecords(kept: last?.records ?? [:]), index)
    }

    /// Keeps this build's content index and notes' records for the next build (``knownNotes(key:content:index:)``).
    func keepNotes(key: String, index: InputIndex, records: [NoteRecords.Kept]) {
        let byPath = Dictionary(records.map { ($0.record.path, $0) }) { _, last in last }
        lock.lock(); notes = (key, index, byPath); lock.unlock()
    }

    /// The modification time of `.git/logs/HEAD` (moves with every commit, checkout and reset) of the
    /// repository holding `directory` (a worktree's or submodule's `.git` file is followed to the
    /// folder it names); ``outsideARepository`` when no folder from it to the root holds a `.git`
    /// (a repository made around it later is found by the next look); nil when the answer cannot
    /// be kept: a `.git` without that log (a repository without commits), or `GIT_DIR` /
    /// `GIT_WORK_TREE` set, which `git` obeys wherever it runs.
    static func headStamp(_ directory: URL) -> String? {
        if ProcessEnvironment.value("GIT_DIR") != nil || ProcessEnvironment.value("GIT_WORK_TREE") != nil { return nil }
        var folder = directory.standardizedFileURL
        while true {
            if let stamp = logStamp(folder.appendingPathComponent(".git/logs/HEAD").path) { return stamp }
            var info = stat()
            let dotGit = folder.appendingPathComponent(".git")
            if stat(dotGit.path, &info) == 0 {
                // `gitdir: <path>`, relative to the folder that holds the file.
                guard info.st_mode & S_IFMT == S_IFREG, let text = try? String(contentsOf: dotGit, encoding: .utf8),
                      text.hasPrefix("gitdir: ") else { return nil }
                let named = text.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
                let gitDirectory = named.hasPrefix("/") ? URL(fileURLWithPath: named) : folder.appendingPathComponent(named)
                return logStamp(gitDirectory.standardizedFileURL.appendingPathComponent("logs/HEAD").path)
            }
            let parent = folder.deletingLastPathComponent()
            // Asking `git` again at every rebuild took 40 ms of a `serve` rebuild's wall time there.
            if parent.path == folder.path { return Self.outsideARepository }
            folder = parent
        }
    }

    /// A HEAD log's path, size and modification time; nil when there is none.
    private static func logStamp(_ log: String) -> String? {
        var info = stat()
        guard stat(log, &info) == 0 else { return nil }
        return "\(log) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    /// ``headStamp(_:)`` of a folder that no repository holds.
    static let outsideARepository = "no repository"
}
