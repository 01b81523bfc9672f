import Foundation

/// A markdown page found under `content/<lang>/`.
public struct SourcePage: Sendable, Codable {
    /// The page's fields, shared by its copies until one of them changes a field (copy on write):
    /// every stage's page (executed, draft, rendered) holds its source, and copying twelve fields,
    /// nine of them reference-counted, for each of 4,000 pages at every step was a large part of
    /// the retain and release traffic of a prose edit at 2,000 pages per language.
    private final class Storage: @unchecked Sendable {
        var language: String
        var relativePath: String
        var displayPath: String
        var frontMatter: FrontMatter
        var body: String
        var bodyLineOffset: Int
        var contentHash: String
        var generated: Bool
        var frontMatterFailed: Bool
        /// The file the body is still to be read from (``bodyUnread``).
        var unreadFile: String?
        var key = ""
        var outputFolder = ""
        var outputPath = ""
        var sessionKey = ""

        init(language: String, relativePath: String, displayPath: String, frontMatter: FrontMatter, body: String, bodyLineOffset: Int,
             contentHash: String, generated: Bool, frontMatterFailed: Bool) {
            self.language = language
            self.relativePath = relativePath
            self.displayPath = displayPath
            self.frontMatter = frontMatter
            self.body = body
            self.bodyLineOffset = bodyLineOffset
            self.contentHash = contentHash
            self.generated = generated
            self.frontMatterFailed = frontMatterFailed
        }

        func copy() -> Storage {
            let copy = Storage(language: language, relativePath: relativePath, displayPath: displayPath, frontMatter: frontMatter, body: body,
                               bodyLineOffset: bodyLineOffset, contentHash: contentHash, generated: generated,
                               frontMatterFailed: frontMatterFailed)
            (copy.key, copy.outputFolder, copy.outputPath, copy.sessionKey) = (key, outputFolder, outputPath, sessionKey)
            copy.unreadFile = unreadFile
            return copy
        }
    }

    private var storage: Storage

    /// The storage, copied first when another page shares it.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public var language: String {
        get { storage.language }
        set { unique.language = newValue; derivePaths() }
    }
    /// Path under the language folder, e.g. `loss-functions.md`, `guide/index.md`.
    public var relativePath: String {
        get { storage.relativePath }
        set { unique.relativePath = newValue; derivePaths() }
    }
    /// Path as shown in diagnostics, e.g. `content/zh/loss-functions.md`.
    public var displayPath: String {
        get { storage.displayPath }
        set { unique.displayPath = newValue }
    }
    public var frontMatter: FrontMatter {
        get { storage.frontMatter }
        set {
            let oldSlug = storage.frontMatter.slug
            unique.frontMatter = newValue
            if newValue.slug != oldSlug { derivePaths() }
        }
    }
    public var body: String {
        get { storage.body }
        set { unique.body = newValue }
    }
    /// Lines before the body (front matter), so body line n is file line n + offset.
    public var bodyLineOffset: Int {
        get { storage.bodyLineOffset }
        set { unique.bodyLineOffset = newValue }
    }
    /// FNV-1a 64 of the body (front matter excluded), hex: what a translation records in `source_hash`.
    public var contentHash: String {
        get { storage.contentHash }
        set { unique.contentHash = newValue }
    }
    /// Made by the generator (reference pages), not read from `content/`.
    public var generated: Bool {
        get { storage.generated }
        set { unique.generated = newValue; derivePaths() }
    }
    /// Its front matter has mistakes (reported in ``ContentTree/problems``): the page is built
    /// from its body, so that its other mistakes are reported in the same run, with the keys in
    /// error at their defaults; its output path may not be the one a `slug` in error meant.
    public var frontMatterFailed: Bool {
        get { storage.frontMatterFailed }
        set { unique.frontMatterFailed = newValue }
    }

    /// The note was taken from its record (``NoteRecords``) without being read: ``body`` is empty
    /// until ``readBody(limits:)`` reads it, which a page parsed in this build needs.
    public var bodyUnread: Bool { storage.unreadFile != nil }

    /// A note whose body is read only if a stage needs it (``NoteRecords``): from `file`.
    mutating func leaveBodyUnread(in file: String) {
        unique.body = ""
        storage.unreadFile = file
    }

    /// Reads the body of a note taken from its record (nothing for any other page). The note is
    /// read, decoded and split as discovery does; a body that is no longer the one recorded (the
    /// note changed after the build looked at it) is refused, since the rest of the build went by
    /// the record: the next build reads it whole.
    mutating func readBody(limits: Limits) throws {
        guard let file = storage.unreadFile else { return }
        let data = try ContentTree.readNoteOrSayWhy(file, display: displayPath, limit: limits.noteBytes).data
        let note = try FrontMatter.read(try SourceFiles.decode(data, path: displayPath), path: displayPath, limits: limits)
        guard note.bodyLineOffset == bodyLineOffset, fnv1a64Hex(note.body.utf8) == contentHash else {
            throw Diagnostic(displayPath, stage: .discovery, "changed while this build was running",
                             hint: "build again: the next build reads it whole")
        }
        unique.body = note.body
        storage.unreadFile = nil
    }

    /// `loss-functions`, `guide` (for `guide/index.md`), `` for the language home.
    public var key: String { storage.key }
    /// Output folder under the language, e.g. `loss-functions` (slug applied to the last segment).
    public var outputFolder: String { storage.outputFolder }
    /// Site-relative path of the page's file, e.g. `zh/loss-functions/index.html`.
    public var outputPath: String { storage.outputPath }
    /// How a build's session names the page (``SiteBuilder/sessionKey(_:)``).
    var sessionKey: String { storage.sessionKey }

    public init(language: String, relativePath: String, displayPath: String, frontMatter: FrontMatter, body: String,
                bodyLineOffset: Int, contentHash: String, generated: Bool = false, frontMatterFailed: Bool = false) {
        storage = Storage(language: language, relativePath: relativePath, displayPath: displayPath, frontMatter: frontMatter, body: body,
                          bodyLineOffset: bodyLineOffset, contentHash: contentHash, generated: generated,
                          frontMatterFailed: frontMatterFailed)
        derivePaths()
    }

    private enum CodingKeys: String, CodingKey {
        case language, relativePath, displayPath, frontMatter, body, bodyLineOffset, contentHash, generated, frontMatterFailed
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(language: try container.decode(String.self, forKey: .language),
                  relativePath: try container.decode(String.self, forKey: .relativePath),
                  displayPath: try container.decode(String.self, forKey: .displayPath),
                  frontMatter: try container.decode(FrontMatter.self, forKey: .frontMatter),
                  body: try container.decode(String.self, forKey: .body),
                  bodyLineOffset: try container.decode(Int.self, forKey: .bodyLineOffset),
                  contentHash: try container.decode(String.self, forKey: .contentHash),
                  generated: try container.decode(Bool.self, forKey: .generated),
                  frontMatterFailed: try container.decode(Bool.self, forKey: .frontMatterFailed))
    }

    /// The keys in ``CodingKeys``' order, as the synthesised form wrote them (``CompactReader`` reads them in that order).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(language, forKey: .language)
        try container.encode(relativePath, forKey: .relativePath)
        try container.encode(displayPath, forKey: .displayPath)
        try container.encode(frontMatter, forKey: .frontMatter)
        try container.encode(body, forKey: .body)
        try container.encode(bodyLineOffset, forKey: .bodyLineOffset)
        try container.encode(contentHash, forKey: .contentHash)
        try container.encode(generated, forKey: .generated)
        try container.encode(frontMatterFailed, forKey: .frontMatterFailed)
    }

    /// Bodies at least this large are dropped after `execute` even from pages that were not parsed
    /// (``forgetBody(parsed:)``).
    static let forgottenBodySize = 64 << 10

    /// Drops the markdown once the page is parsed and checked: its document keeps what rendering
    /// needs, a big note's text is not held through typesetting, assembling and writing, and the
    /// drafts and typeset pages kept for the next build (``PageMemo``) do not carry it. A page a
    /// session kept (`parsed` false) keeps a body under ``forgottenBodySize``: each stage's copy of
    /// the page shares one storage, and dropping the body from all of them made several new
    /// storages for each of the 4,000 kept pages of a prose edit, to free a few kilobytes.
    mutating func forgetBody(parsed: Bool) {
        if !body.isEmpty, parsed || body.utf8.count >= Self.forgottenBodySize { body = "" }
    }

    /// `key`, `outputFolder`, `outputPath` and `sessionKey`, made once from what they depend on (not
    /// at every read: the theme, the sitemap and the search index read them for every page many
    /// times, and making them took 4 % of a memo-fed 2,000-page full rebuild's CPU samples; each
    /// stage asks for every page's session key after a prose edit).
    private mutating func derivePaths() {
        var path = relativePath
        if path.hasSuffix(".md") { path.removeLast(3) }
        if path == "index" { path = "" }
        if path.hasSuffix("/index") { path.removeLast(6) }
        let storage = unique
        storage.key = path
        if let slug = frontMatter.slug, !path.isEmpty {
            var parts = SitePath.parts(path).map(String.init)
            parts[parts.count - 1] = slug
            storage.outputFolder = parts.joined(separator: "/")
        } else {
            storage.outputFolder = path
        }
        storage.outputPath = storage.outputFolder.isEmpty ? "\(language)/index.html" : "\(language)/\(storage.outputFolder)/index.html"
        storage.sessionKey = "\(generated ? "generated " : SiteBuilder.sessionKeyOfANote)\(language)/\(relativePath)"
    }
}

/// A non-markdown file under `content/<lang>/` (images, data), copied as is.
public struct SourceAsset: Sendable {
    public var file: URL
    /// Site-relative output path, e.g. `zh/images/dice.png`.
    public var outputPath: String
}

/// What `content/` holds.
public struct ContentTree: Sendable {
    public var pages: [SourcePage]
    public var assets: [SourceAsset]
    /// Pages that could not be read (undecodable text, front matter never closed, too large), and
    /// the mistakes of every front matter. A page that could not be read is left out of `pages`,
    /// so the other stages still run and report their own mistakes in the same run; `unreadable`
    /// keeps where each would be published, so links to it are not reported as broken as well.
    /// A page whose front matter has mistakes stays in `pages` (``SourcePage/frontMatterFailed``).
    public var problems: [Diagnostic] = []
    public var unreadable: [SourcePage] = []
    /// This build's note records, for the next (``NoteRecords``; empty when discovery had none to go by).
    var records: [NoteRecords.Kept] = []
    /// Notes read (not taken from their records).
    public var notesRead = 0
    /// Drafts left out (`draft: true` without `--drafts`), e.g. `zh/p9.md`.
    public var drafts: [String] = []

    /// Reads every page and lists every asset. A page that cannot be read is a ``problems`` entry,
    /// not a thrown error; only two sources claiming one output path stop discovery.
    /// Pages whose front matter says `draft: true` are left out unless `drafts` is set (`serve --drafts`,
    /// `build --drafts`); then they are built, and the theme marks them with a banner.
    /// - Parameter split: how a note's text is split into front matter and body (a `serve` session
    ///   keeps the split of a note whose text is unchanged).
    /// - Parameter known: the notes' records and the build stamp's index of their files
    ///   (``NoteRecords``): a note whose file the index hashes as its record says is not read, and
    ///   the tree's ``records`` are this build's, for the next.
    static func discover(contentDirectory: URL, displayRoot: String, config: SiteConfig, drafts: Bool = false,
                         known: (records: NoteRecords, index: InputIndex)? = nil,
                         split: (@Sendable (_ text: String, _ path: String) throws -> SplitNote)? = nil)
        throws -> ContentTree {
        var pages: [SourcePage] = []
        var assets: [SourceAsset] = []
        var diagnostics: [Diagnostic] = []
        var problems: [Diagnostic] = []
        var unreadable: [SourcePage] = []
        var leftOut: [String] = []
        let sources = SourceFiles(contentDirectory: contentDirectory, displayRoot: displayRoot)
        // The notes in order, listed first; then read, decoded and split concurrently (each on its own).
        // A note's path is a string join: a `URL` made for each of 4,000 notes, and its `path` asked
        // for, were a fifth of discovery's CPU samples once the notes' records spared reading them.
        var listed: [(language: String, relative: String, path: String, display: String)] = []
        for language in config.languages {
            let root = contentDirectory.appendingPathComponent(language.code, isDirectory: true)
            let rootPath = root.path
            let files = sources.list(root, display: "\(displayRoot)/\(language.code)", diagnostics: &problems)
            // Catalog prose (`reference/<id>.md`) is read by `CatalogProse`, never published as a page.
            for relative in files where !relative.hasPrefix(CatalogProse.folder + "/") {
                guard relative.hasSuffix(".md") else {
                    let url = root.appendingPathComponent(relative, isDirectory: false) // listed as a file: no `stat` to ask
                    assets.append(SourceAsset(file: url, outputPath: "\(language.code)/\(relative)"))
                    continue
                }
                listed.append((language.code, relative, rootPath + "/" + relative, "\(displayRoot)/\(language.code)/\(relative)"))
            }
        }
        let notes = listed
        // Each note's page (nil: a draft left out) and its front matter's mistakes.
        let read = ConcurrentResults<Result<(SourcePage?, [Diagnostic]), Error>>(count: notes.count)
        let records = ConcurrentResults<NoteRecords.Kept>(count: known == nil ? 0 : notes.count)
        let taken = ConcurrentResults<Bool>(count: known == nil ? 0 : notes.count)
        DispatchQueue.concurrentPerform(iterations: notes.count) { index in
            let (language, relative, path, display) = notes[index]
            read.set(index, Result {
                if let known, let kept = known.records.record(at: path, index: known.index) {
                    let record = kept.record
                    records.set(index, kept)
                    taken.set(index, true)
                    if record.frontMatter.draft && !drafts { return (nil, record.problems) }
                    var page = SourcePage(language: language, relativePath: relative, displayPath: display, frontMatter: record.frontMatter,
                                          body: "", bodyLineOffset: record.bodyLineOffset, contentHash: record.contentHash)
                    page.leaveBodyUnread(in: path)
                    page.frontMatterFailed = !record.problems.isEmpty
                    return (page, record.problems)
                }
                let (data, info) = try Self.readNoteOrSayWhy(path, display: display, limit: config.limits.noteBytes)
                let text = try SourceFiles.decode(data, path: display)
                let note = try split?(text, display) ?? FrontMatter.read(text, path: display, limits: config.limits)
                let contentHash = fnv1a64Hex(note.body.utf8)
                if let known, let info {
                    records.set(index, NoteRecords.Kept(record: NoteRecords.record(path: path, data: data, info: info, index: known.index,
                                                                                  note: note, contentHash: contentHash)))
                }
                // A draft is left out whatever else its front matter says; its mistakes are still reported.
                if note.frontMatter.draft && !drafts { return (nil, note.problems) }
                var page = SourcePage(language: language, relativePath: relative, displayPath: display,
                                      frontMatter: note.frontMatter, body: note.body, bodyLineOffset: note.bodyLineOffset,
                                      contentHash: contentHash)
                page.frontMatterFailed = !note.problems.isEmpty
                return (page, note.problems)
            })
        }
        func setAside(_ note: (language: String, relative: String, path: String, display: String)) {
            unreadable.append(SourcePage(language: note.language, relativePath: note.relative, displayPath: note.display,
                                         frontMatter: FrontMatter(), body: "", bodyLineOffset: 0, contentHash: ""))
        }
        for (index, note) in notes.enumerated() {
            switch read[index]! {
            case let .success((page, found)):
                problems += found
                if let page { pages.append(page) } else if !found.isEmpty { setAside(note) } else { leftOut.append("\(note.language)/\(note.relative)") }
            case let .failure(diagnostic as Diagnostic):
                problems.append(diagnostic)
                setAside(note)
            case let .failure(error): throw error
            }
        }
        // A page whose front matter failed may have lost the `slug` that chose its path: where
        // the path it has now is taken, it is set aside rather than reported as a collision that
        // mending its front matter may remove.
        setAsideUncertainPages(taken: Set(pages.filter { !$0.frontMatterFailed }.map(\.outputPath) + assets.map(\.outputPath)),
                               pages: &pages, unreadable: &unreadable)
        // Two sources must never write the same file.
        var owners: [String: String] = [:]
        for page in pages {
            if let other = owners[page.outputPath] {
                diagnostics.append(Diagnostic(page.displayPath, stage: .discovery,
                                              "output path \(page.outputPath) is also written by \(other)",
                                              hint: "change the file name or the 'slug' of one of them"))
            }
            owners[page.outputPath] = page.displayPath
        }
        for asset in assets {
            if let other = owners[asset.outputPath] {
                diagnostics.append(Diagnostic("\(displayRoot)/\(asset.outputPath)", stage: .discovery,
                                              "output path \(asset.outputPath) is also written by \(other)"))
            }
            owners[asset.outputPath] = asset.outputPath
        }
        guard diagnostics.isEmpty else { throw BuildFailure(problems + diagnostics) }
        var tree = ContentTree(pages: pages, assets: assets, problems: problems, unreadable: unreadable)
        tree.drafts = leftOut
        tree.records = known == nil ? [] : notes.indices.compactMap { records[$0] }
        tree.notesRead = notes.count - (known == nil ? 0 : notes.indices.count { taken[$0] == true })
        return tree
    }
}

extension ContentTree {
    /// A note's bytes (``readNote(_:display:limit:)``), and the status of the file read; when that
    /// read fails, read again the slower way, whose error says why (the status then unknown).
    static func readNoteOrSayWhy(_ path: String, display: String, limit: Int) throws -> (data: Data, info: stat?) {
        if let read = try readNote(path, display: display, limit: limit) { return (read.data, read.info) }
        // The first read failed (or the file changed size under it): this way, for the error's cause.
        let url = URL(fileURLWithPath: path, isDirectory: false)
        try Limits.checkNoteSize(url, display: display, limit: limit)
        do {
            return (try Data(contentsOf: url), nil)
        } catch {
            throw Diagnostic(display, stage: .discovery, "cannot read: \(FileError.cause(error))")
        }
    }

    /// A note's bytes by one `open`, `fstat` and `read` (a `stat` for its size and Foundation's
    /// `Data(contentsOf:)` were three lookups of its path and most of discovery's system calls at
    /// 4,000 notes); a note over the size limit is refused as ``Limits/checkNoteSize(_:display:limit:)``
    /// refuses it. Nil when it cannot be opened or read whole: the caller reads it the slower way,
    /// which says why.
    static func readNote(_ path: String, display: String, limit: Int) throws -> (data: Data, info: stat)? {
        guard let (fd, info) = SiteFile.openForReading(path) else { return nil }
        defer { close(fd) }
        let size = Int(info.st_size)
        if size > limit {
            throw Diagnostic(display, stage: .discovery, "note of \(size) bytes is larger than the limit of \(limit) bytes",
                             hint: "split it into several notes, " + Limits.raise("note_bytes"))
        }
        var data = Data(count: size)
        let complete = data.withUnsafeMutableBytes { buffer -> Bool in
            var done = 0
            while done < size {
                let n = pread(fd, buffer.baseAddress! + done, size - done, off_t(done))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            // Grown since the `fstat`: read the slower way, whole.
            var probe: UInt8 = 0
            return pread(fd, &probe, 1, off_t(size)) == 0
        }
        return complete ? (data, info) : nil
    }

    /// Moves to `unreadable` (their mistakes are already in `problems`) the pages whose front
    /// matter failed and whose output path is in `taken` or another such page's.
    static func setAsideUncertainPages(taken: Set<String>, pages: inout [SourcePage], unreadable: inout [SourcePage]) {
        var taken = taken
        pages.removeAll { page in
            guard page.frontMatterFailed, !taken.insert(page.outputPath).inserted else { return false }
            var placeholder = page
            placeholder.body = ""
            unreadable.append(placeholder)
            return true
        }
    }

    /// ``setAsideUncertainPages(taken:pages:unreadable:)`` against the generated pages' paths.
    mutating func setAsideUncertainPages(besides generated: [SourcePage]) {
        Self.setAsideUncertainPages(taken: Set(generated.map(\.outputPath)), pages: &pages, unreadable: &unreadable)
    }

    /// Generated pages (the loss reference) may not share an output path or a source path with a
    /// note: both sides are named, at the note's `slug:` line when a slug chose the path.
    static func checkCollisions(_ notes: [SourcePage], generated: [SourcePage]) throws {
        var byOutput: [String: SourcePage] = [:], bySource: [String: SourcePage] = [:]
        for page in generated {
            byOutput[page.outputPath] = page
            bySource["\(page.language)/\(page.relativePath)"] = page
        }
        var diagnostics: [Diagnostic] = []
        for note in notes {
            let other = byOutput[note.outputPath] ?? bySource["\(note.language)/\(note.relativePath)"]
            guard let other else { continue }
            let line = byOutput[note.outputPath] != nil ? (note.frontMatter.slugLine ?? 1) : 1
            diagnostics.append(Diagnostic(note.displayPath, line: line, stage: .discovery,
                                          "output path \(note.outputPath) is also written by the generated page \(other.displayPath)",
                                          hint: "rename the note or change its 'slug' (the folder '\(ReferencePages.folder)/' belongs to the loss reference), or set 'reference_pages: false' in lossbook.yaml"))
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
    }
}

/// FNV-1a, 64 bits: a stable content fingerprint (not a security hash). `continuing` is the hash
/// of what came before, to fingerprint a sequence of parts without joining them.
func fnv1a64<Bytes: Sequence>(_ bytes: Bytes, continuing hash: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64
    where Bytes.Element == UInt8 {
    // Contiguous bytes (a note's text) are read through a pointer, not an iterator of the view.
    if let contiguous = bytes.withContiguousStorageIfAvailable({ buffer in
        var hash = hash
        for byte in buffer { hash = fnv1a64(byte: byte, continuing: hash) }
        return hash
    }) { return contiguous }
    var hash = hash
    for byte in bytes { hash = fnv1a64(byte: byte, continuing: hash) }
    return hash
}

/// One byte of ``fnv1a64(_:continuing:)`` (for a caller that makes its bytes one at a time).
@inline(__always)
func fnv1a64(byte: UInt8, continuing hash: UInt64) -> UInt64 { (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }

/// FNV-1a, 64 bits, as 16 hex digits: a stable content fingerprint (not a security hash).
func fnv1a64Hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    hex16(fnv1a64(bytes))
}

/// A 64-bit hash as 16 hex digits, zero-padded (lowercase, as `String(_:radix:)` writes them):
/// one string made from its digits, not a number's digits and a padding joined (three strings
/// for each of 4,000 page files after a prose edit).
func hex16(_ hash: UInt64) -> String {
    String(unsafeUninitializedCapacity: 16) { digits in
        for index in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: hash >> (4 * (15 - index))) & 0xF
            digits[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
        return 16
    }
}

/// ``fnv1a64(_:continuing:)`` of text made in parts, each part hashed where it is rather than
/// joined into one string first.
struct FNV1a64Text {
    private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        var text = text
        hash = text.withUTF8 { fnv1a64($0, continuing: hash) }
    }

    /// `value` in decimal, as `"\(value)"` writes it.
    mutating func add(decimal value: Int) {
        if value < 0 { hash = fnv1a64(byte: UInt8(ascii: "-"), continuing: hash) }
        var magnitude = value.magnitude, divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        repeat {
            hash = fnv1a64(byte: UInt8(ascii: "0") + UInt8(magnitude / divisor), continuing: hash)
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    mutating func add(_ value: Bool) { add(value ? "true" : "false") }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) { hash = fnv1a64(bytes, continuing: hash) }

    mutating func add(byte: UInt8) { hash = fnv1a64(byte: byte, continuing: hash) }
}

/// Whether `name` is a name ``hex16(_:)`` makes (16 lowercase hex digits), or the temporary file
/// ``SiteFile/renew(_:at:)-(UnsafeRawBufferPointer,_)`` writes one through: what the caches that name their files by a hash
/// may prune (``PageMemo``, ``RenderCache``), and nothing else.
func isHashName(_ name: String) -> Bool {
    let rest = SiteFile.temporaryParts(name)?.target ?? Substring(name)
    return rest.utf8.count == 16 && rest.utf8.allSatisfy(isLowercaseHexDigit)
}

/// The shard a cache's file is (`3a` and `suffix`: `3a.bin`, `3a.json`), or was being written as
/// (its temporary file, ``SiteFile/temporaryParts(_:)``); nil for any other name. The render
/// cache's and the execution cache's (``RenderCache/shard(named:)``, ``ExecutionCache/shard(named:)``).
func shardNumber(named name: String, suffix: String) -> Int? {
    let rest = SiteFile.temporaryParts(name)?.target ?? Substring(name)
    guard rest.utf8.count == 2 + suffix.utf8.count, rest.hasSuffix(suffix) else { return nil }
    let digits = rest.prefix(2)
    guard digits.utf8.allSatisfy(isLowercaseHexDigit) else { return nil }
    return Int(digits, radix: 16)
}

private func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
}
