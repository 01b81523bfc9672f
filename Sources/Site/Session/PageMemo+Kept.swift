import Foundation

extension PageMemo {
    /// A page memo file as a build reads it (``PageMemo/read(file:identity:misses:)``): what the build
    /// compares (its key, the inputs its draft and its typeset page were made from, its output path)
    /// and its search entry are read at once; its draft entry and typeset page stay encoded in the
    /// file's summary until the build asks for them (``entry``, ``typeset``), and are then read on
    /// the thread that asks, by the stage that needs them, each page once.
    ///
    /// After a prose edit the build reads 4,000 files for one changed page: reading every summary
    /// whole (strings, warnings, headings, sets of anchors) was half of that read's CPU, on the
    /// path every stage waits for, while the stages that use the pages map them on every core.
    final class KeptPage: @unchecked Sendable {
        let key: String
        /// The output path of its typeset page (nil without one).
        let output: String?
        let entryInputs: String?
        let typesetInputs: String?
        let search: BuildSession.SearchEntry?

        private enum Part<Value> {
            case encoded(Range<Int>)
            case read(Value?)
        }

        private let lock = NSLock()
        /// The summary's bytes (the page in ``CompactCoding``'s form, its typeset HTML left in the file).
        private let summary: SummaryBytes
        private var entryPart: Part<BuildSession.Entry>?
        private var typesetPart: Part<BuildSession.Typeset>?
        /// Where the typeset HTML is, and what it was read as (``KeptHTML``).
        private let html: (place: KeptHTML.Place, identity: String, misses: KeptHTML.Misses)?
        /// When its file was seen as it was read (a summaries file's record: ``PageMemo/Summaries``), or 0.
        private let checked: Int64
        /// Where the draft's bytes are, after the summary (nil without a draft entry, or for a page read whole).
        private let draft: KeptHTML.Place?
        /// Whether its warnings' fields are checked when its entry is read (``PageMemo/checksWarningFields``).
        private let checkingWarningFields: Bool

        /// A page already read whole (a test's, or a `serve`-like caller's).
        init(key: String, entry: BuildSession.Entry?, typeset: BuildSession.Typeset?, search: BuildSession.SearchEntry? = nil) {
            self.key = key
            output = typeset?.page.source.outputPath
            entryInputs = entry?.inputs
            typesetInputs = typeset?.inputs
            self.search = search
            summary = SummaryBytes([])
            checked = 0
            entryPart = entry.map { .read($0) }
            typesetPart = typeset.map { .read($0) }
            html = nil
            draft = nil
            checkingWarningFields = true
        }

        /// The page in a file's summary, `start..<summary.count`, its draft's bytes at `draft`, its
        /// typeset HTML at `html.place` (nil when it does not read as a page of this format and
        /// `identity`, its parts' lengths disagree with the summary's, or it has HTML and no typeset
        /// page, or a draft and no draft entry).
        /// - Parameter checked: when the file was seen as `draft` describes it (a summaries file's record), or 0.
        /// - Parameter checkingWarningFields: ``PageMemo/checksWarningFields``.
        init?(summary: SummaryBytes, start: Int, identity: String, draft: KeptHTML.Place, html: (place: KeptHTML.Place, misses: KeptHTML.Misses),
              checked: Int64 = 0, checkingWarningFields: Bool = true) {
            var read: (key: String, output: String?, entry: (String, Range<Int>)?, typeset: (String, Range<Int>)?, search: BuildSession.SearchEntry?)?
            summary.withUnsafeBytes { bytes in
                var reader = CompactReader(bytes, at: start)
                read = try? reader.keyed { reader in
                    try reader.key("format")
                    guard try reader.string(equals: PageMemo.format) else { throw CompactReader.Corrupt(offset: 0, why: "another format") }
                    try reader.key("identity")
                    guard try reader.string(equals: identity) else { throw CompactReader.Corrupt(offset: 0, why: "another identity") }
                    try reader.key("key"); let key = try reader.string()
                    let output = reader.hasKey("output") ? try reader.string() : nil
                    let entry = reader.hasKey("entry") ? try reader.leadingString("inputs") : nil
                    let typeset = reader.hasKey("typeset") ? try reader.leadingString("inputs") : nil
                    let search = reader.hasKey("search") ? try BuildSession.SearchEntry(compact: &reader) : nil
                    return (key, output, entry, typeset, search)
                }
                if !reader.isAtEnd { read = nil }
            }
            guard let read, read.typeset != nil || html.place.count == 0, (read.typeset == nil) == (read.output == nil),
                  (read.entry == nil) == (draft.count == 0) else { return nil }
            key = read.key
            output = read.output
            entryInputs = read.entry?.0
            typesetInputs = read.typeset?.0
            search = read.search
            self.summary = summary
            self.checked = checked
            entryPart = read.entry.map { .encoded($0.1) }
            typesetPart = read.typeset.map { .encoded($0.1) }
            self.html = (html.place, identity, html.misses)
            self.draft = draft
            self.checkingWarningFields = checkingWarningFields
        }

        /// The page's draft entry; nil without one, or when it does not read. A draft without a
        /// typeset page beside it is read too (the page is rendered from it): one that does not
        /// read is no entry. One with a typeset page stays encoded (a generated page's too: its
        /// mentions are filled in again only when the notes that mention it change).
        var entry: BuildSession.Entry? {
            value(of: \.entryPart) { range in
                // The draft is after the summary in the file (``draft``): what the summary holds of it is empty.
                var entry = decode(range) { [summary, checkingWarningFields] in
                    try BuildSession.Entry(compact: &$0, owner: summary, checkingWarningFields: checkingWarningFields)
                }
                if let draft, entry != nil {
                    let (identity, key, inputs) = (html?.identity ?? "", key, entry!.inputs)
                    entry!.draft = .inFile(KeptBytes(draft) { page in
                        guard page.identity == identity, page.key == key, let entry = page.entry, entry.inputs == inputs else { return nil }
                        return entry.draft.bytes
                    })
                }
                if let read = entry, typesetPart == nil {
                    if let draft = read.draft.page { entry!.draft = .page(draft) } else { entry = nil }
                }
                return entry
            }
        }

        /// The page's typeset page, its HTML left in the file until asked for (``KeptHTML``); nil
        /// without one, or when it does not read.
        var typeset: BuildSession.Typeset? { typeset(source: nil) }

        /// The typeset page, read with `source` as its source page (this build's, under the inputs
        /// the page was kept with: the same page) instead of the one in the file, when given: making
        /// every kept page's source again, strings and front matter, was a third of reading it.
        func typeset(source: SourcePage?) -> BuildSession.Typeset? {
            value(of: \.typesetPart) { range in
                guard var page = decode(range, { [summary] in try BuildSession.Typeset(compact: &$0, source: source, owner: summary) }), let html,
                      page.page.source.outputPath == output else { return nil }
                page.page.leaveHTML(in: KeptHTML(html.place, identity: html.identity, key: key, inputs: page.inputs, misses: html.misses))
                return page
            }
        }

        /// Whether the page was taken from the summaries file (``PageMemo/Summaries``), not read from its own.
        var isFromSummaries: Bool { summary.isMapped }

        /// The page's file as it was read (its identity and parts' lengths), and its head and
        /// summary bytes, for the summaries file; nil for a page not read from a file.
        var fileRecord: (record: Summaries.Record, summary: SummaryBytes)? {
            guard let draft, let html else { return nil }
            return (Summaries.Record(device: draft.device, inode: draft.inode, size: draft.size, modified: draft.modified,
                                     prefix: draft.offset, draft: draft.count, html: html.place.count, checked: checked), summary)
        }

        /// A part's value, nil without the part; read from its bytes by `read` the first time, under
        /// the page's lock, and kept (a part that does not read stays nil).
        private func value<Value>(of part: ReferenceWritableKeyPath<KeptPage, Part<Value>?>, _ read: (Range<Int>) -> Value?) -> Value? {
            lock.withLock {
                switch self[keyPath: part] {
                case nil: return nil
                case let .read(value): return value
                case let .encoded(range):
                    let value = read(range)
                    self[keyPath: part] = .read(value)
                    return value
                }
            }
        }

        /// The value whose bytes are `range` of the summary, read whole; nil when it does not read.
        private func decode<Value>(_ range: Range<Int>, _ read: (inout CompactReader) throws -> Value) -> Value? {
            summary.withUnsafeBytes { bytes in
                var reader = CompactReader(UnsafeRawBufferPointer(rebasing: bytes[..<range.upperBound]), at: range.lowerBound)
                guard let value = try? read(&reader), reader.isAtEnd else { return nil }
                return value
            }
        }
    }

    /// A part of a kept page's memo file left in the file (its draft's bytes), read the first time a
    /// build asks for it: from the very file the memo read, or else from a file that replaced it
    /// (another build's) when `same` finds the same part in it; nil when neither holds it.
    final class KeptBytes: @unchecked Sendable {
        let place: KeptHTML.Place
        private let same: (PageMemo.Page) -> [UInt8]?
        private let lock = NSLock()
        private var read: [UInt8]??

        init(_ place: KeptHTML.Place, same: @escaping (PageMemo.Page) -> [UInt8]?) {
            self.place = place
            self.same = same
        }

        var bytes: [UInt8]? {
            lock.withLock {
                if let read { return read }
                let bytes = KeptHTML.readBack(place, { $0 }, samePage: same)
                read = .some(bytes)
                return bytes
            }
        }
    }
}
