import Foundation
import Markdown

// The page memo's types read by ``CompactReader``: each reads the keys its `Codable` conformance
// writes, in that order (synthesised: the stored properties in declaration order, an optional
// left out when nil). A field added to one of these types and not read here makes every memo file
// unreadable, so every page is rendered again (slow, never wrong): `PageMemoTests` fails first.

extension PageMemo.Page {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("format"); let format = try reader.string()
            try reader.key("identity"); let identity = try reader.string()
            try reader.key("key"); let key = try reader.string()
            var page = PageMemo.Page(format: format, identity: identity, key: key)
            if reader.hasKey("output") { page.output = try reader.string() }
            if reader.hasKey("entry") { page.entry = try BuildSession.Entry(compact: &reader) }
            if reader.hasKey("typeset") { page.typeset = try BuildSession.Typeset(compact: &reader) }
            if reader.hasKey("search") { page.search = try BuildSession.SearchEntry(compact: &reader) }
            return page
        }
    }
}

extension BuildSession.Entry {
    /// - Parameters:
    ///   - owner: the bytes the reader reads (a kept page's summary), which the warnings' bytes are
    ///     left in; copied out of the reader's without it.
    ///   - checkingWarningFields: whether the warnings' records are checked field by field now
    ///     (``PageMemo/checksWarningFields``); a damaged one then makes the entry unreadable.
    init(compact reader: inout CompactReader, owner: PageMemo.SummaryBytes? = nil, checkingWarningFields: Bool = true) throws {
        self = try reader.keyed { reader in
            try reader.key("inputs"); let inputs = try reader.string()
            // A kept draft stays encoded (``BuildSession/KeptDraft``): its bytes as they are (in a
            // memo file's summary, none: the draft's bytes follow the summary, ``PageMemo/KeptPage``).
            try reader.key("draft")
            let draft = ArraySlice(try reader.byteArray())
            try reader.key("proseWarnings"); let warnings = try PageWarnings(compact: &reader, owner: owner, checkingFields: checkingWarningFields)
            return BuildSession.Entry(inputs: inputs, draft: .encoded(draft), proseWarnings: warnings)
        }
    }
}

extension PageWarnings {
    init(compact reader: inout CompactReader, owner: PageMemo.SummaryBytes?, checkingFields: Bool) throws {
        self = try reader.keyed { reader in
            try reader.key("count"); let count = try reader.int()
            try reader.key("text"); let text = try reader.byteRun()
            try reader.key("records"); let records = try reader.byteRun()
            let read: PageWarnings?
            if let owner {
                read = PageWarnings(kept: owner, text: text, records: records, count: count, checkingFields: checkingFields)
            } else {
                let bytes = reader.withBytes { [UInt8](UnsafeRawBufferPointer(rebasing: $0[text])) + [UInt8](UnsafeRawBufferPointer(rebasing: $0[records])) }
                read = PageWarnings(kept: PageMemo.SummaryBytes(bytes), text: 0..<text.count, records: text.count..<bytes.count, count: count,
                                    checkingFields: checkingFields)
            }
            guard let read else { throw CompactReader.Corrupt(offset: reader.offset, why: "warnings that are not \(count) lines") }
            return read
        }
    }
}

extension BuildSession.Typeset {
    /// - Parameter source: the page's source as this build found it, taken instead of the one
    ///   kept (passed over unread): under the same inputs they are the same page.
    /// - Parameter owner: the bytes the reader reads (a kept page's), which the page's headings and
    ///   ids are read from when first asked for (``RenderedPage/Outline``); nil: read now.
    init(compact reader: inout CompactReader, source: SourcePage? = nil, owner: PageMemo.SummaryBytes? = nil) throws {
        self = try reader.keyed { reader in
            try reader.key("inputs"); let inputs = try reader.string()
            try reader.key("page"); let page = try RenderedPage(compact: &reader, source: source, owner: owner)
            try reader.key("diagnostics"); let diagnostics = try Diagnostic.array(compact: &reader)
            try reader.key("requests"); let requests = try reader.array { try RenderRequest(compact: &$0) }
            return BuildSession.Typeset(inputs: inputs, page: page, diagnostics: diagnostics, requests: requests)
        }
    }
}

extension BuildSession.SearchEntry {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("key"); let key = try reader.string()
            try reader.key("json"); let json = try reader.byteArray()
            return BuildSession.SearchEntry(key: key, json: json)
        }
    }
}

extension RenderedPage {
    /// - Parameter owner: the bytes the reader reads, which the headings and ids are read from when
    ///   first asked for (only their lengths are checked now); nil: read now.
    init(compact reader: inout CompactReader, source given: SourcePage? = nil, owner: PageMemo.SummaryBytes? = nil) throws {
        self = try reader.keyed { reader in
            try reader.key("source")
            let source: SourcePage
            if let given { try reader.skipValue(); source = given } else { source = try SourcePage(compact: &reader) }
            try reader.key("title"); let title = try reader.string()
            try reader.key("html"); let html = try reader.string()
            try reader.key("headings")
            let outline: OnFirstUse<Outline>
            if let owner {
                // Walked, their strings passed over: a page whose headings or ids would not read
                // does not read now, and is typeset again, as it was when they were read here.
                let headingsAt = reader.offset
                try reader.forEachElement { try Heading.check(compact: &$0) }
                try reader.key("anchors")
                let anchorsAt = reader.offset
                try reader.forEachElement { try $0.skipString() }
                outline = OnFirstUse { Self.outline(in: owner, headingsAt: headingsAt, anchorsAt: anchorsAt) }
            } else {
                let headings = try reader.array { try Heading(compact: &$0) }
                try reader.key("anchors"); let anchors = Set(try reader.array { try $0.string() })
                outline = OnFirstUse(made: (headings, anchors))
            }
            try reader.key("anchorChecks"); let checks = try reader.array { try AnchorCheck(compact: &$0) }
            try reader.key("mentions"); let mentions = Set(try reader.array { try $0.string() })
            try reader.key("fixes"); let fixes = try reader.array { try FixEdit(compact: &$0) }
            let identity = reader.hasKey("identity") ? try reader.string() : nil
            return RenderedPage(source: source, title: title, html: TypesetHTML(html), outline: outline, anchorChecks: checks,
                                mentions: mentions, fixes: fixes, identity: identity)
        }
    }
}

extension RenderedPage {
    /// A kept page's headings and ids, read from `owner` where the page's reader walked them: they
    /// read, since every tag, key and length was checked then and a string's bytes always decode
    /// (invalid UTF-8 is replaced, as when they were read at once). Bytes changed since (none
    /// are: a summaries file is appended to or replaced, never written over) would give no
    /// headings and no ids.
    static func outline(in owner: PageMemo.SummaryBytes, headingsAt: Int, anchorsAt: Int) -> Outline {
        owner.withUnsafeBytes { bytes in
            var headings = CompactReader(bytes, at: headingsAt), anchors = CompactReader(bytes, at: anchorsAt)
            guard let read = try? headings.array({ try Heading(compact: &$0) }), let ids = try? anchors.array({ try $0.string() }) else {
                return ([], [])
            }
            return (read, Set(ids))
        }
    }
}

extension SourcePage {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("language"); let language = try reader.string()
            try reader.key("relativePath"); let relativePath = try reader.string()
            try reader.key("displayPath"); let displayPath = try reader.string()
            try reader.key("frontMatter"); let frontMatter = try FrontMatter(compact: &reader)
            try reader.key("body"); let body = try reader.string()
            try reader.key("bodyLineOffset"); let offset = try reader.int()
            try reader.key("contentHash"); let hash = try reader.string()
            try reader.key("generated"); let generated = try reader.bool()
            try reader.key("frontMatterFailed"); let failed = try reader.bool()
            return SourcePage(language: language, relativePath: relativePath, displayPath: displayPath, frontMatter: frontMatter,
                              body: body, bodyLineOffset: offset, contentHash: hash, generated: generated, frontMatterFailed: failed)
        }
    }
}

extension FrontMatter {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            var matter = FrontMatter()
            if reader.hasKey("title") { matter.title = try reader.string() }
            if reader.hasKey("description") { matter.description = try reader.string() }
            try reader.key("weight"); matter.weight = try reader.int()
            if reader.hasKey("slug") { matter.slug = try reader.string() }
            try reader.key("draft"); matter.draft = try reader.bool()
            if reader.hasKey("sourceHash") { matter.sourceHash = try reader.string() }
            if reader.hasKey("slugLine") { matter.slugLine = try reader.int() }
            return matter
        }
    }
}

extension Diagnostic {
    /// The diagnostics of one page, each sharing the strings of the one before it that it repeats.
    static func array(compact reader: inout CompactReader) throws -> [Diagnostic] {
        var previous: Diagnostic?
        return try reader.array { reader in
            let diagnostic = try Diagnostic(compact: &reader, after: previous)
            previous = diagnostic
            return diagnostic
        }
    }

    init(compact reader: inout CompactReader) throws { try self.init(compact: &reader, after: nil) }

    /// - Parameter previous: the diagnostic read before this one, whose path, hint and stage this one
    ///   takes when its own are the same bytes (``CompactReader/string(reusing:)``).
    init(compact reader: inout CompactReader, after previous: Diagnostic?) throws {
        self = try reader.keyed { reader in
            try reader.key("path"); let path = try reader.string(reusing: previous?.path)
            try reader.key("line"); let line = try reader.int()
            try reader.key("column"); let column = try reader.int()
            try reader.key("stage")
            // The stage of the diagnostic before it, when it is that one (its name not looked up again).
            let name = try reader.string(reusing: previous?.stage.rawValue)
            guard let stage = name == previous?.stage.rawValue ? previous?.stage : Stage(rawValue: name) else {
                throw CompactReader.Corrupt(offset: reader.offset, why: "no stage '\(name)'")
            }
            try reader.key("message"); let message = try reader.string()
            let hint = reader.hasKey("hint") ? try reader.string(reusing: previous?.hint) : nil
            var diagnostic = Diagnostic(path, line: line, column: column, stage: stage, message, hint: hint)
            try reader.key("isWarning"); diagnostic.isWarning = try reader.bool()
            try reader.key("details"); diagnostic.details = try reader.array { try $0.string() }
            return diagnostic
        }
    }
}

extension RenderRequest {
    /// A synthesised enum's form: a container with the case's name, holding its labelled values.
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            if reader.hasKey("math") {
                return try reader.keyed { reader in
                    try reader.key("tex"); let tex = try reader.string()
                    try reader.key("display"); let display = try reader.bool()
                    return .math(tex: tex, display: display)
                }
            }
            try reader.key("code")
            return try reader.keyed { reader in
                try reader.key("language"); let language = try reader.string()
                try reader.key("code"); let code = try reader.string()
                return .code(language: language, code: code)
            }
        }
    }
}

extension Heading {
    init(compact reader: inout CompactReader) throws {
        let (level, text, id, location) = try Self.fields(compact: &reader) { try $0.string() }
        self.init(level: level, text: text, id: id, location: location)
    }

    /// Walks a heading as ``init(compact:)`` reads it (every key, tag and length), its strings
    /// passed over unread.
    static func check(compact reader: inout CompactReader) throws {
        _ = try fields(compact: &reader) { try $0.skipString() }
    }

    /// A heading's fields, its strings each read by `string`: one walk for reading and checking.
    private static func fields<Text>(compact reader: inout CompactReader, string: (inout CompactReader) throws -> Text) throws
        -> (level: Int, text: Text, id: Text, location: SourceLocation) {
        try reader.keyed { reader in
            try reader.key("level"); let level = try reader.int()
            try reader.key("text"); let text = try string(&reader)
            try reader.key("id"); let id = try string(&reader)
            try reader.key("location"); let location = try SourceLocation(compact: &reader)
            return (level, text, id, location)
        }
    }
}

extension SourceLocation {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("line"); let line = try reader.int()
            try reader.key("column"); let column = try reader.int()
            return SourceLocation(line: line, column: column)
        }
    }
}

extension AnchorCheck {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("page"); let page = try reader.string()
            try reader.key("fragment"); let fragment = try reader.string()
            try reader.key("url"); let url = try reader.string()
            try reader.key("location"); let location = try SourceLocation(compact: &reader)
            return AnchorCheck(page: page, fragment: fragment, url: url, location: location)
        }
    }
}

extension FixEdit {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("path"); let path = try reader.string()
            try reader.key("line"); let line = try reader.int()
            try reader.key("column"); let column = try reader.int()
            try reader.key("old"); let old = try reader.string()
            try reader.key("new"); let new = try reader.string()
            return FixEdit(path: path, line: line, column: column, old: old, new: new)
        }
    }
}
