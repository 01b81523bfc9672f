import Foundation
import Markdown
import XCTest
@testable import Site

/// ``CompactReader``, which reads the page memo without `Codable`: every memo file a build
/// writes, and a page with every optional field filled in, read back field for field as
/// `Codable` reads them; a field the reader does not know, and damaged bytes, refuse the file.
final class CompactReaderTests: XCTestCase {
    func testEveryMemoFileOfABuildReadsAsCodableReadsIt() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = fixture.options()
        options.keepsPages = true
        try await SiteBuilder.build(options)
        let files = try SiteFixture.snapshot(of: options.cacheDirectory!.appendingPathComponent(PageMemo.folderName))
        XCTAssertFalse(files.isEmpty)
        for (name, data) in files {
            let bytes = [UInt8](data)
            let read = try XCTUnwrap(PageMemo.read(bytes), name)
            XCTAssertNotNil(read.typeset, name)
            XCTAssertEqual(Self.canonical(read), Self.canonical(try Self.codableRead(bytes)), name)
            // Written as it goes, a page and its draft are the bytes of their trees (``CompactCoding/encodeAsTree(_:)``).
            XCTAssertEqual(try CompactCoding.encode(read), try CompactCoding.encodeAsTree(read), name)
            let draftPage = try XCTUnwrap(read.entry?.draft.page, name)
            XCTAssertEqual(try CompactCoding.encode(draftPage), try CompactCoding.encodeAsTree(draftPage), name)
            // As a build reads it (``PageMemo/KeptPage``): the same draft entry, its draft's bytes read
            // from the file when asked for (the draft left after the summary, ``PageMemo/KeptBytes``).
            let path = options.cacheDirectory!.appendingPathComponent(PageMemo.folderName).appendingPathComponent(name).path
            let kept = try XCTUnwrap(PageMemo.read(file: path, identity: read.identity, misses: KeptHTML.Misses()), name)
            var entry = try XCTUnwrap(kept.entry, name)
            guard case .inFile = entry.draft else { return XCTFail("\(name): the draft is read from the file when asked for") }
            let draft = try XCTUnwrap(entry.draft.bytes, name)
            XCTAssertFalse(draft.isEmpty, name)
            XCTAssertEqual(draft, read.entry?.draft.bytes, name)
            entry.draft = .encoded(ArraySlice(draft))
            XCTAssertEqual(Self.canonical(Optional(entry) as Any), Self.canonical(read.entry as Any), name)
        }
    }

    func testAPageWithEveryFieldFilledInReadsAsCodableReadsIt() throws {
        let bytes = try XCTUnwrap(Self.fullPage().bytes())
        let read = try XCTUnwrap(PageMemo.read(bytes))
        let page = Self.fullPage() // one value: a set's order differs from one instance to another
        XCTAssertEqual(try CompactCoding.encode(page), try CompactCoding.encodeAsTree(page))
        let expected = Self.canonical(try Self.codableRead(bytes))
        XCTAssertEqual(Self.canonical(read), expected)
        // The comparison sees every field: one changed value shows.
        var changed = read
        changed.typeset!.page.source.frontMatter.slugLine = 8
        XCTAssertNotEqual(Self.canonical(changed), expected)
    }

    /// Strictness: a container with a key the reader does not read, or without one it must read,
    /// is refused; so are bytes cut short anywhere and an unknown diagnostic stage.
    func testUnknownOrMissingFieldsAndDamagedBytesAreRefused() throws {
        struct Matter: Encodable {
            var weight = 3
            var draft = true
        }
        struct MatterAndMore: Encodable {
            var weight = 3
            var draft = true
            var added = "a field a later version writes"
        }
        struct MatterWithoutDraft: Encodable {
            var weight = 3
        }
        XCTAssertEqual(try Self.read(Matter(), FrontMatter.init(compact:)).weight, 3)
        XCTAssertThrowsError(try Self.read(MatterAndMore(), FrontMatter.init(compact:)))
        XCTAssertThrowsError(try Self.read(MatterWithoutDraft(), FrontMatter.init(compact:)))
        var diagnostic = Diagnostic("content/en/a.md", stage: .markdown, "a message")
        XCTAssertEqual(try Self.read(diagnostic, Diagnostic.init(compact:)), diagnostic)
        diagnostic.stage = .links
        var bytes = try CompactCoding.encode(diagnostic)
        let stage = try XCTUnwrap(Self.range(of: "links", in: bytes))
        bytes.replaceSubrange(stage, with: Array("lonks".utf8))
        XCTAssertThrowsError(try bytes.withUnsafeBytes { raw in
            var reader = CompactReader(raw)
            return try Diagnostic(compact: &reader)
        })

        let page = try XCTUnwrap(Self.fullPage().bytes())
        for length in stride(from: 0, to: page.count, by: 7) {
            XCTAssertNil(PageMemo.read(Array(page[..<length])), "cut at \(length)")
        }
        XCTAssertNil(PageMemo.read(page + [0]), "a byte after the page")
    }

    /// A page's diagnostics read back as they were written when each takes the path and hint of the
    /// one before it that repeats them (``CompactReader/string(reusing:)``): shared, changed (at the same length too), absent
    /// after present and present after absent, empty, short and long, non-ASCII; the stage the same
    /// or another.
    func testAPagesDiagnosticsReadBackWhenTheyShareStrings() throws {
        var generator = SystemRandomNumberGenerator()
        let paths = ["content/en/p1.md", "content/en/p2.md", "content/en/p1.md ", "a", "", "content/zh/焦点损失与其他.md"]
        let hints: [String?] = [nil, "compute it with an executable block, or cite it from content/data/", "h", "g", "", "提示"]
        var shared = 0
        for _ in 0..<300 {
            let diagnostics = (0..<Int.random(in: 0...6, using: &generator)).map { index -> Diagnostic in
                var diagnostic = Diagnostic(paths.randomElement(using: &generator)!, line: index, column: 2,
                                            stage: [.proseNumbers, .links, .markdown].randomElement(using: &generator)!,
                                            "number '0.\(index)' typed in the prose", hint: hints.randomElement(using: &generator)!)
                diagnostic.isWarning = Bool.random(using: &generator)
                return diagnostic
            }
            shared += zip(diagnostics, diagnostics.dropFirst()).filter { $0.path == $1.path || ($0.hint != nil && $0.hint == $1.hint) }.count
            XCTAssertEqual(try Self.read(diagnostics, Diagnostic.array(compact:)), diagnostics)
        }
        XCTAssertGreaterThan(shared, 100) // strings were there to share
        // A repeated string is the earlier one's storage, not a copy of it.
        let long = String(repeating: "a path long enough for storage ", count: 2)
        let pair = [Diagnostic(long, stage: .links, "one"), Diagnostic(long, stage: .links, "two")]
        let read = try Self.read(pair, Diagnostic.array(compact:))
        var (first, second) = (read[0].path, read[1].path)
        XCTAssertEqual(first.withUTF8 { $0.baseAddress }, second.withUTF8 { $0.baseAddress })
    }

    /// A string compared in place (``CompactReader/string(equals:)``) is equal exactly when the
    /// string read is: the same, a prefix, one byte longer, one byte changed, empty, non-ASCII.
    /// A `Dictionary` with `String` keys reads back as `Codable` wrote it, nested and empty ones too;
    /// a key cut short refuses it.
    func testADictionaryReadsAsCodableWroteIt() throws {
        let value: [String: [String: Int]] = ["a": ["x": 1, "y": -2], "中文": ["键": 3], "empty": [:], "": ["": 0]]
        let bytes = try CompactCoding.encode(value)
        let read = try bytes.withUnsafeBytes { raw -> [String: [String: Int]] in
            var reader = CompactReader(raw)
            let read = try reader.dictionary { try $0.dictionary { try $0.int() } }
            XCTAssertTrue(reader.isAtEnd)
            return read
        }
        XCTAssertEqual(read, value)
        XCTAssertEqual(read, try CompactCoding.decode([String: [String: Int]].self, from: bytes))
        // The first key's length made longer than the container: refused, not read past.
        var damaged = try CompactCoding.encode(["key": "value"])
        let keyLengthAt = 1 + 4 + 4  // after the container's tag, payload length and entry count
        XCTAssertEqual(Int(damaged[keyLengthAt]), "key".utf8.count)
        damaged[keyLengthAt] = 200
        XCTAssertThrowsError(try damaged.withUnsafeBytes { raw in
            var reader = CompactReader(raw)
            _ = try reader.dictionary { try $0.string() }
        })
    }

    func testAStringComparedInPlaceIsEqualExactlyWhenTheStringReadIs() throws {
        let strings = ["", "a", "lossbook page memo 6", "lossbook page memo 7", "lossbook page memo 66", "lossbook page memo", "焦点", "焦点损失",
                       "0123456789abcdef", "0123456789abcdeF"]
        var equal = 0
        for written in strings {
            for expected in strings {
                let same = try Self.read(written) { try $0.string(equals: expected) }
                XCTAssertEqual(same, written == expected, "\(written) against \(expected)")
                if same { equal += 1 }
            }
        }
        XCTAssertEqual(equal, strings.count)
    }

    // MARK: - Helpers

    /// What `Codable` reads from a memo file's bytes.
    /// The file read by `Codable`: the summary after the head (the format, and the summary's and
    /// HTML's lengths), the typeset page's HTML after the summary.
    private static func codableRead(_ bytes: [UInt8]) throws -> PageMemo.Page {
        let head = Array((PageMemo.format + "\n").utf8).count
        let summary = try XCTUnwrap(Int(String(decoding: bytes[head..<head + 16], as: UTF8.self), radix: 16))
        let draft = try XCTUnwrap(Int(String(decoding: bytes[head + 17..<head + 33], as: UTF8.self), radix: 16))
        let start = head + 51
        var page = try CompactCoding.decode(PageMemo.Page.self, from: Array(bytes[..<(start + summary)]), at: start)
        if page.entry != nil { page.entry!.draft = .encoded(bytes[(start + summary)..<(start + summary + draft)]) }
        if page.typeset != nil { page.typeset!.page.html = TypesetHTML(String(decoding: bytes[(start + summary + draft)...], as: UTF8.self)) }
        return page
    }

    private static func read<Value: Encodable, Read>(_ value: Value, _ reading: (inout CompactReader) throws -> Read) throws -> Read {
        try CompactCoding.encode(value).withUnsafeBytes { raw in
            var reader = CompactReader(raw)
            let read = try reading(&reader)
            guard reader.isAtEnd else { throw CompactReader.Corrupt(offset: reader.offset, why: "bytes left") }
            return read
        }
    }

    private static func range(of text: String, in bytes: [UInt8]) -> Range<Int>? {
        let needle = Array(text.utf8)
        guard let start = (0...(bytes.count - needle.count)).first(where: { bytes[$0..<$0 + needle.count].elementsEqual(needle) }) else { return nil }
        return start..<start + needle.count
    }

    /// Every stored value of `value`, nested, as text: a set's members sorted (their order is
    /// not part of the value), everything else in order. Two values with the same text are the
    /// same memo page.
    private static func canonical(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .set?:
            return "{" + mirror.children.map { canonical($0.value) }.sorted().joined(separator: ", ") + "}"
        case .optional?:
            return mirror.children.first.map { "some(" + canonical($0.value) + ")" } ?? "nil"
        case .struct?, .class?, .enum?, .tuple?, .collection?, .dictionary?:
            let children = mirror.children.map { ($0.label ?? "") + ": " + canonical($0.value) }
            return "\(mirror.subjectType)(" + children.joined(separator: ", ") + ")"
        default:
            return String(reflecting: value)
        }
    }

    /// A memo page with every optional field present and every collection non-empty.
    private static func fullPage() -> PageMemo.Page {
        var matter = FrontMatter()
        (matter.title, matter.description, matter.weight, matter.slug) = ("Focal", "About focal loss", -2, "focal-loss")
        (matter.draft, matter.sourceHash, matter.slugLine) = (true, "0123abcd", 4)
        let source = SourcePage(language: "zh", relativePath: "guide/focal.md", displayPath: "content/zh/guide/focal.md",
                                frontMatter: matter, body: "# 焦点\n\n$x$\n", bodyLineOffset: 7, contentHash: "feed",
                                generated: true, frontMatterFailed: true)
        var warning = Diagnostic("content/zh/guide/focal.md", line: 3, column: 9, stage: .proseNumbers, "number '0.5' typed",
                                 hint: "compute it")
        warning.isWarning = true
        var withoutDetails = warning
        withoutDetails.message += " (\u{2028}\tescaped\n)" // a warning's lines keep no details (``PageWarnings``)
        warning.details = ["probe: [0.1]", "\tescaped\n"]
        let location = SourceLocation(line: 12, column: 3)
        let rendered = RenderedPage(source: source, title: "焦点", html: TypesetHTML("<h1 id=\"a\">焦点</h1>\n<p>\u{1F600}</p>"),
                                    headings: [Heading(level: 1, text: "焦点", id: "a", location: location)],
                                    anchors: ["a", "b", "c"],
                                    anchorChecks: [AnchorCheck(page: "en/x/index.html", fragment: "f", url: "../x/#f", location: location)],
                                    mentions: ["focal", "dice"],
                                    fixes: [FixEdit(path: "content/zh/guide/focal.md", line: 20, column: 5, old: "0.1", new: "0.2")],
                                    identity: "inputs fingerprint")
        let typeset = BuildSession.Typeset(inputs: "typeset inputs", page: rendered, diagnostics: [warning],
                                           requests: [.math(tex: "\\frac{a}{b}", display: true), .code(language: "swift", code: "let x = 1")])
        return PageMemo.Page(identity: "identity", key: "note zh/guide/focal.md",
                             entry: BuildSession.Entry(inputs: "draft inputs", draft: .encoded([1, 2, 3]), proseWarnings: PageWarnings([withoutDetails])),
                             typeset: typeset, search: BuildSession.SearchEntry(key: "search key", json: Array("{\"t\":1}".utf8)))
    }
}
