import Foundation

/// `lossbook build`'s ``BuildSession`` kept in the cache folder (`.cache/lossbook/pages/`) from
/// one process to the next, so that a build after a prose edit parses, runs, renders and
/// typesets the edited page alone, as a `serve` rebuild does: each page's draft and typeset HTML,
/// under the inputs the session compares (``SiteBuilder/inputs(of:shape:)``), one file a page.
///
/// What every kept page also depends on, and the session (made for one process) takes as fixed,
/// is the memo's ``identity``: the binary (its file's size, modification time and inode, and the
/// sources compiled into it), the KaTeX/highlight.js fingerprint with the site's macros, Node.js,
/// the configuration's limits, the options that change the output and the folders the build
/// reads and names in its messages. A page file of another identity or ``format``, or one that
/// cannot be read or decoded, is ignored: that page is rendered, as without a memo.
///
/// Saved after the site was swapped in (never after a failed build): the files of pages made
/// anew, each to a temporary file renamed to its name once the last one is removed, or written at
/// its name when the folder held none (``SiteFile/renew(_:at:existing:)``, which says why), and
/// those of pages that are gone removed. Each file stands alone (its page's inputs are in it), so a
/// build stopped halfway leaves files that are each the old one, the new one, none, or a new one cut
/// short, which its lengths refuse; each is checked on use.
struct PageMemo {
    static let format = "lossbook page memo 7"
    static let folderName = "pages"
    /// Pages whose HTML (draft and typeset together) is larger than this are not kept: encoding
    /// and writing a page costs time and memory in proportion to its size, so keeping a very large
    /// page saves little on the next build and makes every build of it dearer: keeping a 50 MB
    /// note's page took its build from 4.8–5.6× cmark-gfm's CPU time to 7.5–11.3×, and its memory
    /// from 2.3× to 4.1–4.3× (`scripts/bench/big-note.sh 50`, alternated, load 4). This
    /// repository's largest page is far below it.
    static let largestKeptPage = 4 << 20

    /// How much of a kept page's file a build reads first: its head and summary (6.3 KB on average
    /// in the 2,000-page corpus), the draft and HTML after them left unread. A larger summary takes
    /// a second read.
    static let firstRead = 8 << 10

    let folder: URL
    let identity: String
    /// Whether a kept page's warnings are checked field by field when read (``PageWarnings``): when
    /// the build will show their fields (JSON, colour) or fail on them (`--strict`), as the build
    /// stamp's are (``BuildStamp``). A page whose warnings do not read is then made again.
    let checksWarningFields: Bool

    /// One page's file.
    struct Page: Codable {
        var format = PageMemo.format
        var identity: String
        var key: String
        /// The typeset page's output path, read with the key (``KeptPage``): a build finds the kept
        /// search entries by it without reading the typeset page.
        var output: String?
        var entry: BuildSession.Entry?
        var typeset: BuildSession.Typeset?
        /// The typeset page's entry in the search index (the index is made anew from the kept
        /// entries: scanning every page's HTML for it took 7 % of a 4,000-page rebuild's CPU).
        var search: BuildSession.SearchEntry?

        /// What the page was made from: its file is written again when this changes.
        var inputs: String { Self.inputs(entry: entry, typeset: typeset, search: search) }

        static func inputs(entry: BuildSession.Entry?, typeset: BuildSession.Typeset?, search: BuildSession.SearchEntry?) -> String {
            "\(entry?.inputs ?? "-")\u{1}\(typeset?.inputs ?? "-")\u{1}\(search?.key ?? "-")"
        }
    }

    /// The memo of a build that writes a site from a cache folder (nil for `check`, `--fix`,
    /// `--no-cache`, a test's substituted loss, and builds that do not ask for it).
    init?(options: BuildOptions, config: SiteConfig) {
        guard options.keepsPages, options.write, !options.fix, LossRunner.substitute == nil,
              let cache = options.cacheDirectory else { return nil }
        folder = cache.appendingPathComponent(Self.folderName)
        identity = Self.identity(options: options, config: config)
        checksWarningFields = options.warningFieldsShown || options.strict
    }

    /// What every kept page depends on besides its own inputs (see the type's summary).
    static func identity(options: BuildOptions, config: SiteConfig) -> String {
        var text = "\(format)\nlossbook \(LossbookVersion.current)\nbinary \(binaryStamp())\n"
        for (path, hash) in CompiledSources.hashes { text += "\(path)=\(hash)\n" }
        text += "tools \(options.tools.fingerprint(macros: config.macros)) \(options.tools.node)\n"
        // Every limit, by its name (``Limits/key``, which a test keeps in step with the limits).
        text += "limits \(config.limits.key)\n"
        text += "drafts \(options.drafts) base-url \(options.baseURL ?? "-") strict \(options.strict)\n"
        let folders = [options.contentDirectory, options.templatesDirectory, options.outputDirectory] + [options.lossSources, options.referenceSources].compactMap { $0 }
        for folder in folders { text += "folder \(folder.standardizedFileURL.path)\n" }
        text += "cwd \(FileManager.default.currentDirectoryPath)\n"
        return fnv1a64Hex(Array(text.utf8))
    }

    /// The running executable's size, modification time, inode and device: a rebuilt binary
    /// (its generator changed, not only the sources compiled into it) is another identity.
    static func binaryStamp() -> String {
        let path = FileManager.default.fileExists(atPath: "/proc/self/exe") ? "/proc/self/exe" : (Bundle.main.executablePath ?? CommandLine.arguments[0])
        var info = stat()
        guard stat(path, &info) == 0 else { return "unknown \(path)" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino) \(info.st_dev)"
    }

    /// A session holding the pages of the folder that are of this identity, read concurrently
    /// while the build goes on (``BuildSession/init(reading:)``).
    func session() -> BuildSession {
        let (folder, identity, checking) = (folder, identity, checksWarningFields)
        return BuildSession { Self.kept(in: folder, identity: identity, checkingWarningFields: checking) }
    }

    /// The pages of `folder` that are of `identity`, each read up to what a build compares
    /// (``KeptPage``): its draft entry and typeset page are read when a stage asks for them, its
    /// typeset page's HTML stays in the file until a build asks for it (``KeptHTML``).
    private static func kept(in folder: URL, identity: String, checkingWarningFields: Bool) -> BuildSession.Kept {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
        let pages = ConcurrentResults<KeptPage>(count: names.count)
        let misses = KeptHTML.Misses()
        // The folder's path made once: `URL.path`, asked for each of 4,000 files, was 7 % of this read's CPU samples.
        let folderPath = folder.path
        // Each page from the summaries file when its record may be taken, else from its own file.
        let pack = Summaries.read(Summaries.path(cache: folder.deletingLastPathComponent()), identity: identity)
        let folderFD = pack == nil ? -1 : open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if folderFD >= 0 { close(folderFD) } }
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let name = names[index]
            let file = folderPath + "/" + name // a string join: `URL.appendingPathComponent` would `stat` each file
            var page: KeptPage?
            if let pack, folderFD >= 0, let (record, bytes) = pack.record(name, in: folderFD),
               let head = summaryRange(UnsafeRawBufferPointer(rebasing: pack.file.bytes[bytes])),
               head.end == record.prefix, head.draft == record.draft, head.html == record.html {
                let (draft, html) = Self.places(file, record)
                page = KeptPage(summary: SummaryBytes(pack.file, bytes), start: Self.headLength, identity: identity, draft: draft,
                                html: (html, misses), checked: record.checked, checkingWarningFields: checkingWarningFields)
            }
            guard let page = page ?? Self.read(file: file, identity: identity, misses: misses, checkingWarningFields: checkingWarningFields),
                  Self.fileName(page.key) == name else { return }
            pages.set(index, page)
        }
        var kept = BuildSession.Kept()
        kept.pages.reserveCapacity(names.count)
        kept.search.reserveCapacity(names.count)
        for index in names.indices {
            guard let page = pages[index] else { continue }
            kept.pages[page.key] = page
            if let output = page.output { kept.search[output] = page.search }
        }
        kept.misses = misses
        kept.summaries = pack
        kept.names = Set(names)
        return kept
    }

    /// Writes the file of each page of `session` made anew, and removes those of pages that are
    /// gone. Best effort: a page that cannot be written is rendered again by the next build.
    func save(_ session: BuildSession) {
        let (entries, typeset, keptPages) = session.pages
        let kept = session.keptAsRead
        // Only the pages this build made again, and the kept ones whose search entry changed, are
        // made into memo pages: making and copying all 4,000 of a prose edit's was a twentieth of
        // its CPU. A page too large to keep is left out, and loses the file a smaller version of it
        // left; a page whose file is unchanged was measured when it was written (its draft may
        // still be encoded). A kept page the build did not make again holds its file's inputs
        // (``KeptPage``): only its search entry can differ, and its entry and typeset page are read
        // only if its file must be written again. Its file's name is made only when a file may have
        // to be removed (below).
        var unchanged: [String] = [], changed: [Page] = [], left = false
        func note(_ key: String, _ own: (entry: BuildSession.Entry?, typeset: BuildSession.Typeset?), _ keptPage: KeptPage?) {
            let output = own.typeset.map { $0.page.source.outputPath } ?? keptPage?.output
            let search = output.flatMap { session.searchEntry($0) }
            // A part this build made again is written, even under the same inputs: the kept one did
            // not read (``KeptPage``).
            if own.entry == nil, own.typeset == nil, let keptPage, keptPage.search?.key == search?.key {
                unchanged.append(key)
                return
            }
            let made = Page(identity: identity, key: key, output: output, entry: own.entry ?? keptPage?.entry,
                            typeset: own.typeset ?? keptPage?.typeset, search: search)
            guard made.htmlBytes <= Self.largestKeptPage else { left = true; return }
            changed.append(made)
        }
        for (key, page) in keptPages { note(key, (entries[key], typeset[key]), page) }
        for (key, entry) in entries where keptPages[key] == nil { note(key, (entry, typeset[key]), nil) }
        for (key, page) in typeset where keptPages[key] == nil && entries[key] == nil { note(key, (nil, page), nil) }
        let pages = changed
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let folderPath = folder.path  // once: `URL.path` is 17,700 instructions a call
        let listed = session.keptFolderNames
        DispatchQueue.concurrentPerform(iterations: pages.count) { index in
            let page = pages[index]
            let name = Self.fileName(page.key)
            // Without `fsync` (Foundation's `.atomic` write syncs each file: 4,000 syncs made most of
            // a cold 2,000-page build's time after its swap): a file lost to a crash is a page
            // rendered again, and a file cut short is refused by its lengths.
            _ = try? page.withFile { try SiteFile.renew($0, at: folderPath + "/" + name, existing: listed.contains(name)) }
        }
        // Only what a memo names (a file of another's is left alone, should the folder be shared).
        // Nothing is to be removed when every file read at the start is a page kept or written
        // now and the folder holds no file besides those and the new pages' (names are counted:
        // a file's name is its key's, so the kept files and the new ones are that many names; a
        // killed build's temporary file, hidden, is one more name, and removed below).
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let new = changed.count { kept[$0.key] == nil }
        if left || unchanged.count + changed.count - new != kept.count || names.count != kept.count + new {
            let current = Set((unchanged + changed.map(\.key)).map(Self.fileName))
            // A temporary file only when the process that wrote it is gone (another build's may be
            // renewing its file now).
            for name in names where !current.contains(name) && isHashName(name) && (!name.hasPrefix(".") || SiteFile.isLeftOverTemporary(name)) {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
        // The summaries file records the kept pages read from their own files. A file written now is
        // not recorded: its record would be racy (made right after the file), and the next build
        // reads the file and records it, settled. So a build that wrote every page writes none.
        guard unchanged.contains(where: { kept[$0]?.isFromSummaries != true }) else { return }
        saveSummaries(unchanged: unchanged.compactMap { key in kept[key].map { (key, $0) } }, pack: session.keptSummaries)
    }

    /// Brings the summaries file up to date (``Summaries``): the records of the kept pages read from
    /// their own files appended, or the whole file written anew, compacted, when there is none of
    /// this identity, most of it would be replaced records, or most pages are recorded again.
    /// - Parameter pack: the summaries file the build read its kept pages with, appended to when it is
    ///   still there (a file another build wrote in its place meanwhile is written anew).
    private func saveSummaries(unchanged: [(key: String, page: KeptPage)], pack: Summaries.Pack?) {
        let path = Summaries.path(cache: folder.deletingLastPathComponent())
        // Asked once: `URL.path` costs 17,700 instructions a call (4,000 calls, 71 M, in the build
        // after one that rendered every page).
        let folderPath = folder.path
        // A kept page read from its own file is recorded as its file is now, if that is still the
        // file it read (looked at after the time taken: see ``Summaries``).
        func current(_ page: KeptPage) -> Summaries.Record? {
            guard let file = page.fileRecord, file.summary.count == file.record.prefix else { return nil }
            var record = file.record
            record.checked = InputIndex.now()
            guard let info = SiteFile.status(folderPath + "/" + Self.fileName(page.key)) else { return nil }
            let (device, inode, size, modified) = KeptHTML.stamp(info)
            guard (device, inode, size, modified) == (record.device, record.inode, record.size, record.modified) else { return nil }
            return record
        }
        // A file's name is made only for the records written (a kept page's, 4,000 after a prose edit, is not needed).
        var kept: [(key: String, record: Summaries.Record, page: KeptPage, mapped: Bool)] = []
        for (key, page) in unchanged {
            if page.isFromSummaries, let (record, _) = page.fileRecord {
                kept.append((key, record, page, true))
            } else if let record = current(page) {
                kept.append((key, record, page, false))
            }
        }
        let live = kept.reduce(0) { $0 + Summaries.recordHead + $1.record.prefix }
        if let pack, Summaries.isFile(pack, at: path) {
            // Appended, unless most of the file would then be records replaced or of pages gone:
            // those of the read file that this build's pages from it do not take.
            let appendedNames = kept.filter { !$0.mapped }.map { Self.fileName($0.key) }
            let replacedNow = appendedNames.reduce(0) { $0 + (pack.records[$1].map { Summaries.recordHead + $0.bytes.count } ?? 0) }
            let taken = kept.reduce(0) { $0 + ($1.mapped ? Summaries.recordHead + $1.record.prefix : 0) }
            let dead = pack.replaced + max(0, pack.liveBytes - taken - replacedNow) + replacedNow
            // Written anew, too, when most pages are recorded again (the first build after a
            // memo's pages were all written, its records all racy): appended, the file would double.
            let appending = live - taken
            if dead <= live, 2 * appending <= live {
                let pages = kept.filter { !$0.mapped }.map { (Self.fileName($0.key), $0.record, $0.page.fileRecord!.summary) }
                if pages.isEmpty || Summaries.append(pages, to: path) { return }
            }
        }
        // Written whole: the bytes of pages read from their own files copied into one buffer;
        // those taken from the last summaries file from its mapping (each page holds it mapped).
        var records: [(name: String, record: Summaries.Record, mapped: UnsafeRawBufferPointer?, copied: Range<Int>?)] = []
        records.reserveCapacity(kept.count)
        var copied: [UInt8] = []
        for item in kept {
            let summary = item.page.fileRecord!.summary
            let name = Self.fileName(item.key)
            if let bytes = summary.mappedBytes {
                records.append((name, item.record, bytes, nil))
            } else {
                let start = copied.count
                summary.withUnsafeBytes { copied.append(contentsOf: $0) }
                records.append((name, item.record, nil, start..<copied.count))
            }
        }
        records.sort { $0.name < $1.name }
        copied.withUnsafeBytes { copied in
            let pages = records.map { ($0.name, $0.record, $0.mapped ?? UnsafeRawBufferPointer(rebasing: copied[$0.copied!])) }
            Summaries.write(pages, identity: identity, to: path)
        }
    }

    /// A page's file name: a hash of its session key (``SiteBuilder/sessionKey(_:)``).
    static func fileName(_ key: String) -> String { fnv1a64Hex(key.utf8) }

    // A file is ``format`` and a newline, the lengths of the page's summary, of its draft and of its
    // HTML (16 hexadecimal digits each, a space between) and a newline, the summary (the page in
    // ``CompactCoding``'s form, its draft and its typeset HTML left empty), the draft's bytes (none
    // without a draft entry), then the typeset page's HTML to the end of the file (none without a
    // typeset page). A build reads the summary of every kept page and the rest of few: the draft
    // after the summary, not in it, is half of each summary's bytes not read (``KeptBytes``).

    /// The page in a file's bytes, or nil when they are of another format, cut short or otherwise unreadable.
    static func read(_ data: Data) -> Page? { read([UInt8](data)) }

    static func read(_ bytes: [UInt8]) -> Page? {
        bytes.withUnsafeBytes { raw in
            guard let summary = summaryRange(raw), summary.draft + summary.html == raw.count - summary.end, var page = summary.page(raw),
                  (page.entry == nil) == (summary.draft == 0) else { return nil }
            let html = UnsafeRawBufferPointer(rebasing: raw[(summary.end + summary.draft)...])
            if page.entry != nil { page.entry!.draft = .encoded(bytes[summary.end..<summary.end + summary.draft]) }
            if page.typeset == nil {
                guard html.isEmpty else { return nil }
            } else {
                page.typeset!.page.html = TypesetHTML(utf8: Array(html))
            }
            return page
        }
    }

    /// The length of a file's head: the format's line, then three lengths of 16 digits, spaced, and a newline.
    static let headLength = formatLine.count + 3 * 17

    /// Where the summary is: the bytes from `start` to `end`, then `draft` bytes of the draft and
    /// `html` bytes of HTML; nil for another format or a damaged head.
    private static func summaryRange(_ bytes: UnsafeRawBufferPointer) -> SummaryRange? {
        let head = formatLine
        let start = headLength
        guard bytes.count >= start, bytes.starts(with: head), bytes[start - 1] == UInt8(ascii: "\n") else { return nil }
        // Each length's 16 hexadecimal digits read in place, as `Int(_:radix:)` reads them (made a
        // string first, they were 6,800 instructions of each of 4,000 kept pages after a prose edit).
        func length(_ field: Int) -> Int? {
            let from = head.count + 17 * field
            guard field == 0 || bytes[from - 1] == UInt8(ascii: " "),
                  let length = Int(ascii: UnsafeRawBufferPointer(rebasing: bytes[from..<from + 16]).assumingMemoryBound(to: UInt8.self), radix: 16),
                  length >= 0, length <= Int.max / 8 else { return nil }
            return length
        }
        guard let summary = length(0), let draft = length(1), let html = length(2) else { return nil }
        return SummaryRange(start: start, end: start + summary, draft: draft, html: html)
    }

    /// ``format`` and a newline, the file's first line.
    private static let formatLine = Array((format + "\n").utf8)

    /// A page memo file read up to what a build compares (``KeptPage``), its HTML left in the file
    /// (``KeptHTML``); nil when it is not a page of `identity`, or cannot be read.
    /// - Parameter checkingWarningFields: ``checksWarningFields``.
    static func read(file path: String, identity: String, misses: KeptHTML.Misses, checkingWarningFields: Bool = true) -> KeptPage? {
        guard let (fd, info) = SiteFile.openForReading(path) else { return nil }
        defer { close(fd) }
        let size = Int(info.st_size)
        // One read for most pages: the head and a summary of up to ``firstRead`` bytes.
        guard var bytes = SiteFile.read(fd, offset: 0, count: min(size, firstRead)) else { return nil }
        // A file cut short (or grown) is refused by its lengths, as before the HTML was left in it.
        guard let summary = bytes.withUnsafeBytes({ summaryRange($0) }), summary.end + summary.draft + summary.html == size else { return nil }
        if summary.end > bytes.count {
            guard let rest = SiteFile.read(fd, offset: bytes.count, count: summary.end - bytes.count) else { return nil }
            bytes += rest
        } else {
            // The read's own buffer, kept with the page until the build ends, its tail dropped (no
            // copy: copying each summary out of a 16 KB read, so as not to keep 4,000 of those, was
            // 1.4 % of a prose edit's CPU samples once the read was cut to 8 KB, the summary's size).
            bytes.removeSubrange(summary.end...)
        }
        let (device, inode, fileSize, modified) = KeptHTML.stamp(info)
        let file = Summaries.Record(device: device, inode: inode, size: fileSize, modified: modified, prefix: summary.end, draft: summary.draft,
                                    html: summary.html)
        let (draft, html) = places(path, file)
        return KeptPage(summary: SummaryBytes(bytes), start: summary.start, identity: identity, draft: draft, html: (html, misses),
                        checkingWarningFields: checkingWarningFields)
    }

    /// Where the draft's and the typeset HTML's bytes are in the page file at `path` that `file` describes.
    static func places(_ path: String, _ file: Summaries.Record) -> (draft: KeptHTML.Place, html: KeptHTML.Place) {
        let draft = KeptHTML.Place(path: path, offset: file.prefix, count: file.draft, device: file.device, inode: file.inode,
                                   size: file.size, modified: file.modified)
        var html = draft
        (html.offset, html.count) = (file.prefix + file.draft, file.html)
        return (draft, html)
    }
}

/// Where a page memo file's summary is (``PageMemo/read(_:)-([UInt8])``): its bytes from `start` to
/// `end`, followed by `draft` bytes of the draft and `html` bytes of the typeset page's HTML.
private struct SummaryRange {
    var start: Int
    var end: Int
    var draft: Int
    var html: Int

    /// The page in the summary (its typeset HTML empty); nil when it does not read as one, whole.
    func page(_ bytes: UnsafeRawBufferPointer) -> PageMemo.Page? {
        guard end <= bytes.count else { return nil }
        var reader = CompactReader(UnsafeRawBufferPointer(rebasing: bytes[..<end]), at: start)
        guard let page = try? PageMemo.Page(compact: &reader), reader.isAtEnd, page.format == PageMemo.format else { return nil }
        return page
    }
}

extension PageMemo.Page {
    // The summary is the page in ``CompactCoding``'s form: read several times faster than JSON
    // (which took a quarter of a rebuild's CPU at 4,000 pages). Written by `Codable`, read by
    // ``CompactReader`` (``Page/init(compact:)``). The typeset HTML after it is raw UTF-8 (most of
    // the file, 10 MB for this repository's 148 pages).

    /// The size of the page's HTML, draft and typeset (``PageMemo/largestKeptPage``).
    var htmlBytes: Int { (entry.map { $0.draft.page?.draft.html.utf8.count ?? 0 } ?? 0) + (typeset?.page.html.count ?? 0) }

    /// Calls `body` with the file's bytes as pieces, in order: its head, summary and draft, then the
    /// typeset HTML as the page holds it (its text's slices and shared formulas, ``PageFile``), for
    /// one `writev` (``PageMemo/save(_:)``); nil when the page cannot be encoded. Joined first, each
    /// page's 37 KB were copied three times over into fresh memory (at 2,000 pages per language)
    /// in a build that saves every page.
    func withFile<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R? {
        var summary = self, html = PageFile(""), draft: [UInt8] = []
        if var entry = summary.entry {
            // A kept draft that cannot be read back is not written as an empty one.
            guard let bytes = entry.draft.bytes, !bytes.isEmpty else { return nil }
            draft = bytes
            entry.draft = .encoded([])
            summary.entry = entry
        }
        if var typeset = summary.typeset {
            // A kept page whose HTML cannot be read back is not written with an empty one.
            guard let read = typeset.page.readableHTML else { return nil }
            html = PageFile(read)
            typeset.page.html = TypesetHTML()
            summary.typeset = typeset
        }
        guard let encoded = summary.compactBytes() else { return nil }
        func hex(_ count: Int) -> String {
            let digits = String(count, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        let head = Array((PageMemo.format + "\n" + hex(encoded.count) + " " + hex(draft.count) + " " + hex(html.count) + "\n").utf8)
        return try head.withUnsafeBytes { head in
            try encoded.withUnsafeBytes { encoded in
                try draft.withUnsafeBytes { draft in try html.withPieces { try body([head, encoded, draft] + $0) } }
            }
        }
    }
}
