import Foundation
import Markdown

/// Writes ``CompactCoding``'s form by hand, for the types the page memo writes for every page a
/// build made (``PageMemo/Page``, its draft, typeset page and search entry): the same bytes their
/// `Encodable` conformances give through ``CompactCoding/encode(_:)`` (`CompactWriterTests`
/// compares the two), without an encoder's containers, boxes and generic calls. In a build that
/// rendered every page (2,000 pages per language, formulas from the cache), encoding the memo
/// through `Encodable` was a tenth of the CPU samples: the summary 5.4 %, the drafts 4.8 %.
///
/// The mirror of ``CompactReader``, which reads these types back (`PageMemo+Reading.swift`):
/// a keyed container's entries go in the order the synthesised conformance writes them (the
/// stored properties in declaration order, an optional left out when nil).
struct CompactWriter {
    private(set) var bytes: [UInt8] = []
    /// The containers still open, innermost last: where each one's tag is, and its entries so far.
    private var open: [(start: Int, count: Int)] = []
    /// A length past what the form holds (4 GiB) was met: the bytes are not a value.
    private(set) var overflowed = false

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// The bytes of the value `write` wrote; nil when a length did not fit.
    static func bytes(capacity: Int = 1024, _ write: (inout CompactWriter) -> Void) -> [UInt8]? {
        var writer = CompactWriter(capacity: capacity)
        write(&writer)
        return writer.overflowed ? nil : writer.bytes
    }

    // MARK: - Containers

    /// A keyed container; `body` writes each entry as ``key(_:)`` and the value.
    mutating func keyed(_ body: (inout CompactWriter) -> Void) {
        container(.keyed, body)
    }

    /// An unkeyed container of `items`, each written by `write`.
    mutating func unkeyed<Items: Sequence>(_ items: Items, _ write: (inout CompactWriter, Items.Element) -> Void) {
        container(.unkeyed) { writer in
            for item in items {
                writer.open[writer.open.count - 1].count += 1
                write(&writer, item)
            }
        }
    }

    /// An entry's key in the innermost keyed container (its value follows).
    mutating func key(_ name: StaticString) {
        open[open.count - 1].count += 1
        name.withUTF8Buffer { name in
            append(UInt64(name.count), 4)
            bytes.append(contentsOf: name)
        }
    }

    /// The entry `name` with `value` written by `write`, only when there is a value (a synthesised
    /// conformance's `encodeIfPresent`).
    mutating func optional<Value>(_ name: StaticString, _ value: Value?, _ write: (inout CompactWriter, Value) -> Void) {
        guard let value else { return }
        key(name)
        write(&self, value)
    }

    // MARK: - Values

    mutating func string(_ text: String) {
        bytes.append(CompactCoding.Tag.string.rawValue)
        var text = text
        text.withUTF8 { utf8 in
            appendLength(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func int(_ number: Int) {
        bytes.append(CompactCoding.Tag.int.rawValue)
        append(UInt64(bitPattern: Int64(number)), 8)
    }

    mutating func bool(_ flag: Bool) {
        bytes.append((flag ? CompactCoding.Tag.true : .false).rawValue)
    }

    /// A `[UInt8]`'s form (its own tag: not an array of numbers).
    mutating func byteArray<Bytes: Collection>(_ run: Bytes) where Bytes.Element == UInt8 {
        bytes.append(CompactCoding.Tag.bytes.rawValue)
        appendLength(run.count)
        bytes.append(contentsOf: run)
    }

    mutating func strings<Texts: Sequence>(_ texts: Texts) where Texts.Element == String {
        unkeyed(texts) { $0.string($1) }
    }

    // MARK: - Implementation details

    /// A container's tag, then its payload's length and entry count, patched once `body` wrote it.
    private mutating func container(_ tag: CompactCoding.Tag, _ body: (inout CompactWriter) -> Void) {
        let start = bytes.count
        bytes.append(tag.rawValue)
        append(0, 8)
        open.append((start, 0))
        body(&self)
        let (_, count) = open.removeLast()
        let length = bytes.count - start - 5
        guard length <= Int(UInt32.max), count <= Int(UInt32.max) else { overflowed = true; return }
        for index in 0..<4 {
            bytes[start + 1 + index] = UInt8(truncatingIfNeeded: length >> (8 * index))
            bytes[start + 5 + index] = UInt8(truncatingIfNeeded: count >> (8 * index))
        }
    }

    private mutating func appendLength(_ count: Int) {
        if count > Int(UInt32.max) { overflowed = true }
        append(UInt64(count), 4)
    }

    /// `value`'s `width` low bytes (1…8), little-endian, appended at once (byte by byte, the page
    /// memo's lengths and numbers were 2 % of the instructions of a build that renders 4,000 pages).
    private mutating func append(_ value: UInt64, _ width: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[..<width])) }
    }
}

// MARK: - The page memo's types

extension PageMemo.Page {
    /// This page as ``CompactCoding/encode(_:)`` writes it; nil when a length does not fit, its
    /// draft's bytes cannot be read back (``BuildSession/KeptDraft/bytes``), or a warning of its
    /// prose has details its kept lines would lose (``PageWarnings``).
    func compactBytes() -> [UInt8]? {
        var draftBytes: [UInt8]?
        if let entry {
            guard entry.proseWarnings.keepsEverything, let bytes = entry.draft.bytes else { return nil }
            draftBytes = bytes
        }
        return CompactWriter.bytes(capacity: 2048) { writer in
            writer.keyed { writer in
                writer.key("format"); writer.string(format)
                writer.key("identity"); writer.string(identity)
                writer.key("key"); writer.string(key)
                writer.optional("output", output) { $0.string($1) }
                writer.optional("entry", entry) { writer, entry in entry.write(draft: draftBytes ?? [], into: &writer) }
                writer.optional("typeset", typeset) { $1.write(into: &$0) }
                writer.optional("search", search) { $1.write(into: &$0) }
            }
        }
    }
}

extension BuildSession.Entry {
    /// - Parameter draft: the draft's encoded bytes (``BuildSession/KeptDraft``'s form).
    fileprivate func write(draft: [UInt8], into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("inputs"); writer.string(inputs)
            writer.key("draft"); writer.byteArray(draft)
            writer.key("proseWarnings")
            writer.keyed { writer in
                writer.key("count"); writer.int(proseWarnings.count)
                writer.key("text"); proseWarnings.withText { writer.byteArray($0) }
                writer.key("records"); proseWarnings.withRecords { writer.byteArray($0) }
            }
        }
    }
}

extension BuildSession.Typeset {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("inputs"); writer.string(inputs)
            writer.key("page"); page.write(into: &writer)
            writer.key("diagnostics"); writer.unkeyed(diagnostics) { $1.write(into: &$0) }
            writer.key("requests"); writer.unkeyed(requests) { $1.write(into: &$0) }
        }
    }
}

extension BuildSession.SearchEntry {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("key"); writer.string(key)
            writer.key("json"); writer.byteArray(json)
        }
    }
}

extension SiteBuilder.DraftPage {
    /// This draft as ``CompactCoding/encode(_:)`` writes it; nil when a length does not fit.
    func compactBytes() -> [UInt8]? {
        CompactWriter.bytes(capacity: 4096 + draft.html.utf8.count) { writer in
            writer.keyed { writer in
                writer.key("source"); source.write(into: &writer)
                writer.key("title"); writer.string(title)
                writer.key("draft"); draft.write(into: &writer)
                writer.key("anchorChecks"); writer.unkeyed(anchorChecks) { $1.write(into: &$0) }
                writer.optional("inputs", inputs) { $0.string($1) }
            }
        }
    }
}

extension Draft {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("html"); writer.string(html)
            writer.key("pending"); writer.unkeyed(pending) { $1.write(into: &$0) }
            writer.key("headings"); writer.unkeyed(headings) { $1.write(into: &$0) }
            writer.key("mentions"); writer.strings(mentions)
            writer.key("fixes"); writer.unkeyed(fixes) { $1.write(into: &$0) }
            writer.key("diagnostics"); writer.unkeyed(diagnostics) { $1.write(into: &$0) }
        }
    }
}

extension Draft.Pending {
    /// A synthesised enum's form: a container with the case's name, holding its labelled values
    /// (`_0` for an unlabelled one).
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            switch self {
            case let .math(display, span):
                writer.key("math")
                writer.keyed { writer in
                    writer.key("display"); writer.bool(display)
                    writer.key("span"); span.write(into: &writer)
                }
            case let .code(language, code, request):
                writer.key("code")
                writer.keyed { writer in
                    writer.key("language"); writer.string(language)
                    writer.key("code"); writer.string(code)
                    writer.optional("request", request) { $1.write(into: &$0) }
                }
            case let .html(html):
                writer.key("html")
                writer.keyed { writer in writer.key("_0"); writer.string(html) }
            }
        }
    }
}

extension MathSpan {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("kind"); writer.string(kind.rawValue)
            writer.key("tex"); writer.string(tex)
            writer.key("line"); writer.int(line)
            writer.key("column"); writer.int(column)
        }
    }
}

extension RenderedPage {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("source"); source.write(into: &writer)
            writer.key("title"); writer.string(title)
            writer.key("html"); writer.string(html.joined)
            writer.key("headings"); writer.unkeyed(headings) { $1.write(into: &$0) }
            writer.key("anchors"); writer.strings(anchors)
            writer.key("anchorChecks"); writer.unkeyed(anchorChecks) { $1.write(into: &$0) }
            writer.key("mentions"); writer.strings(mentions)
            writer.key("fixes"); writer.unkeyed(fixes) { $1.write(into: &$0) }
            writer.optional("identity", identity) { $0.string($1) }
        }
    }
}

extension SourcePage {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("language"); writer.string(language)
            writer.key("relativePath"); writer.string(relativePath)
            writer.key("displayPath"); writer.string(displayPath)
            writer.key("frontMatter"); frontMatter.write(into: &writer)
            writer.key("body"); writer.string(body)
            writer.key("bodyLineOffset"); writer.int(bodyLineOffset)
            writer.key("contentHash"); writer.string(contentHash)
            writer.key("generated"); writer.bool(generated)
            writer.key("frontMatterFailed"); writer.bool(frontMatterFailed)
        }
    }
}

extension FrontMatter {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.optional("title", title) { $0.string($1) }
            writer.optional("description", description) { $0.string($1) }
            writer.key("weight"); writer.int(weight)
            writer.optional("slug", slug) { $0.string($1) }
            writer.key("draft"); writer.bool(draft)
            writer.optional("sourceHash", sourceHash) { $0.string($1) }
            writer.optional("slugLine", slugLine) { $0.int($1) }
        }
    }
}

extension Diagnostic {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("path"); writer.string(path)
            writer.key("line"); writer.int(line)
            writer.key("column"); writer.int(column)
            writer.key("stage"); writer.string(stage.rawValue)
            writer.key("message"); writer.string(message)
            writer.optional("hint", hint) { $0.string($1) }
            writer.key("isWarning"); writer.bool(isWarning)
            writer.key("details"); writer.strings(details)
        }
    }
}

extension RenderRequest {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            switch self {
            case let .math(tex, display):
                writer.key("math")
                writer.keyed { writer in
                    writer.key("tex"); writer.string(tex)
                    writer.key("display"); writer.bool(display)
                }
            case let .code(language, code):
                writer.key("code")
                writer.keyed { writer in
                    writer.key("language"); writer.string(language)
                    writer.key("code"); writer.string(code)
                }
            }
        }
    }
}

extension Heading {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("level"); writer.int(level)
            writer.key("text"); writer.string(text)
            writer.key("id"); writer.string(id)
            writer.key("location"); location.write(into: &writer)
        }
    }
}

extension SourceLocation {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("line"); writer.int(line)
            writer.key("column"); writer.int(column)
        }
    }
}

extension AnchorCheck {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("page"); writer.string(page)
            writer.key("fragment"); writer.string(fragment)
            writer.key("url"); writer.string(url)
            writer.key("location"); location.write(into: &writer)
        }
    }
}

extension FixEdit {
    fileprivate func write(into writer: inout CompactWriter) {
        writer.keyed { writer in
            writer.key("path"); writer.string(path)
            writer.key("line"); writer.int(line)
            writer.key("column"); writer.int(column)
            writer.key("old"); writer.string(old)
            writer.key("new"); writer.string(new)
        }
    }
}
