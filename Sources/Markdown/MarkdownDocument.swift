import CCmarkGFM
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A heading of a rendered document, with the id its anchor got.
public struct Heading: Sendable, Equatable, Codable {
    public var level: Int
    /// Plain text of the heading (formulas as their TeX).
    public var text: String
    public var id: String
    public var location: SourceLocation

    public init(level: Int, text: String, id: String, location: SourceLocation) {
        self.level = level
        self.text = text
        self.id = id
        self.location = location
    }
}

/// A link or image destination as written in the source.
public struct LinkReference: Sendable, Equatable {
    public var url: String
    public var isImage: Bool
    public var location: SourceLocation

    public init(url: String, isImage: Bool, location: SourceLocation) {
        self.url = url
        self.isImage = isImage
        self.location = location
    }
}

/// A fenced or indented code block.
public struct CodeBlock: Sendable, Equatable {
    /// The whole info string (`python`, `loss-table focal`, …); empty for indented blocks.
    public var info: String
    public var code: String
    /// Line of the opening fence in the source.
    public var location: SourceLocation
    /// Lines the block spans in the source (fences included).
    public var lines: ClosedRange<Int>

    /// The first word of the info string.
    public var language: String { String(info.split(separator: " ", maxSplits: 1).first ?? "") }
}

/// One markdown source parsed by cmark-gfm after its formulas were protected.
///
/// The only type that holds cmark-gfm nodes. Not thread-safe: it may be handed from one task to
/// the next (the site's execute stage parses, its render stage edits and renders), but only one
/// task may use it at a time.
/// Lifecycle: `init` parses; `headings`, `links` and `codeBlocks` read; `setHeadingIDs`,
/// `rewriteLinks`, `replaceCodeBlocks` edit; `html(math:)` renders.
public final class MarkdownDocument: @unchecked Sendable {
    public let protected: ProtectedSource
    /// The markdown and its lines (for positions of link destinations).
    private let markdown: String
    private let sourceLines: [Range<String.Index>]
    private let parser: OpaquePointer
    private let root: OpaquePointer

    /// - Parameters:
    ///   - lineOffset: lines before the markdown in its file (front matter), added to
    ///     every reported line so that locations point into the file.
    ///   - rawHTML: `.trusted` for markdown lossbook generated, whose HTML is not tag-filtered.
    public init(_ markdown: String, lineOffset: Int = 0, rawHTML: RawHTML = .filtered) throws {
        var markdown = markdown
        markdown.makeContiguousUTF8()
        let parsed: (protected: ProtectedSource, parser: OpaquePointer, root: OpaquePointer, nodes: BlockNodes, once: Bool)
        do {
            parsed = try Self.protectAndParse(markdown, rawHTML: rawHTML)
        } catch var error as MarkdownError {
            error.location.line += lineOffset
            throw error
        }
        (protected, parser, root) = (parsed.protected, parsed.parser, parsed.root)
        (pendingCodeNodes, cachedHeadingNodes, cachedLinkNodes) = (parsed.nodes.code, parsed.nodes.headings, parsed.nodes.links)
        parsedOnce = parsed.once
        self.lineOffset = lineOffset
        self.markdown = markdown
        sourceLines = markdown.lineRanges()
    }

    /// Formulas are never looked for in code and HTML blocks, whose lines only a parse knows; the
    /// protected source is parsed once if it can be told, from that parse, that the lines it was
    /// protected with were the right ones:
    /// 1. protect with a guess (``FencedCodeLines``) and parse;
    /// 2. if no replacement can have moved a block (``ProtectedSource/keepsBlocks``), the parse's
    ///    code and HTML lines are the source's; protected with them (unless they are the guess),
    ///    the source must give the same formulas, so the parse is that of the right text;
    /// 3. else (rare: a formula that may start a block when not taken out, or a guess that moved
    ///    a formula) the source's blocks come from a parse of the source, as step 1 would need, with
    ///    the extensions that shape blocks only, and the protected source is parsed after it.
    /// Either way the text parsed is the source protected with its own code and HTML lines
    /// (`OneParseTests` compares the two on every note and spec example).
    private static func protectAndParse(_ markdown: String, rawHTML: RawHTML)
        throws -> (protected: ProtectedSource, parser: OpaquePointer, root: OpaquePointer, nodes: BlockNodes, once: Bool) {
        func parse(_ protected: ProtectedSource, once: Bool = true) -> (ProtectedSource, OpaquePointer, OpaquePointer, BlockNodes, Bool) {
            let parser = CommonMark.makeParser(rawHTML: rawHTML)
            protected.text.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
            let root = cmark_parser_finish(parser)!
            return (protected, parser, root, BlockNodes(root), once)
        }
        // Nothing to protect without a formula delimiter: no guess, nothing to confirm.
        guard mayHaveMath(markdown) else { return parse(try ProtectedSource(source: markdown, excludedLines: [])) }
        var source = markdown // contiguous already: read in place
        let guess = source.withUTF8 { FencedCodeLines.lines(in: $0) }
        // The source's bytes, shared by the protections below (a big note is not copied for each).
        let bytes = Array(markdown.utf8)
        if let first = try? ProtectedSource(bytes: bytes, excludedLines: guess), first.keepsBlocks {
            let result = parse(first)
            let found = result.3.verbatimLines.map { first.originalLine(of: $0.lowerBound)...first.originalLine(of: $0.upperBound) }
            if found == guess { return result }
            // Only the replaced ranges are compared: the scan alone, the protected text not written again.
            if let again = try? ProtectedSource.replacedRanges(bytes: bytes, excludedLines: found), again == first.replaced { return result }
            cmark_node_free(result.2)
            cmark_parser_free(result.1)
        }
        return parse(try ProtectedSource(bytes: bytes, excludedLines: verbatimBlockLines(markdown)), once: false)
    }

    /// What `init` reads from the parsed tree in one walk: its code blocks and headings (for
    /// `codeBlocks` and `setHeadingIDs`), the nodes that may hold a link (for `rewriteLinks`) and
    /// the lines of its code and HTML blocks. A walk of a big note's tree costs as much as a tenth
    /// of its parse.
    private struct BlockNodes {
        var code: [OpaquePointer] = []
        var headings: [OpaquePointer] = []
        var links: [OpaquePointer] = []
        /// Lines of the protected text.
        var verbatimLines: [ClosedRange<Int>] = []

        init(_ root: OpaquePointer) {
            MarkdownDocument.walk(root) { node, entering in
                guard entering else { return }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_CODE_BLOCK:
                    code.append(node)
                    if let lines = MarkdownDocument.lines(of: node) { verbatimLines.append(lines) }
                case CMARK_NODE_HTML_BLOCK:
                    links.append(node)
                    if let lines = MarkdownDocument.lines(of: node) { verbatimLines.append(lines) }
                case CMARK_NODE_HEADING: headings.append(node)
                case CMARK_NODE_HTML_INLINE, CMARK_NODE_LINK, CMARK_NODE_IMAGE: links.append(node)
                default: break
                }
            }
        }
    }

    /// The lines a block spans, if cmark-gfm gave them.
    private static func lines(of node: OpaquePointer) -> ClosedRange<Int>? {
        let a = Int(cmark_node_get_start_line(node)), b = Int(cmark_node_get_end_line(node))
        return a > 0 && b >= a ? a...b : nil
    }

    private let lineOffset: Int
    /// Whether one cmark-gfm parse was enough (``protectAndParse(_:rawHTML:)``'s steps 1–2).
    let parsedOnce: Bool

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    /// The formulas, with locations in the file.
    public var math: [MathSpan] {
        protected.spans.map { span in
            var span = span
            span.line += lineOffset
            return span
        }
    }

    /// Whether `$`, `\(` or `\[` occurs: one byte scan.
    private static func mayHaveMath(_ markdown: String) -> Bool {
        var copy = markdown
        return copy.withUTF8 { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == UInt8(ascii: "$") { return true }
                if previous == UInt8(ascii: "\\"), byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") { return true }
                previous = byte
            }
            return false
        }
    }

    /// Lines of the code and HTML blocks, from a parse with the extensions that shape blocks only
    /// (footnotes stay: a footnote's indented lines are code). The same lines as a parse with all
    /// of them: `VerbatimBlockLinesTests` compares the two on every note of the repository.
    static func verbatimBlockLines(_ markdown: String, blocksOnly: Bool = true) -> [ClosedRange<Int>] {
        let parser = CommonMark.makeParser(blocksOnly: blocksOnly)
        defer { cmark_parser_free(parser) }
        markdown.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
        let root = cmark_parser_finish(parser)!
        defer { cmark_node_free(root) }
        return BlockNodes(root).verbatimLines
    }

    private static func walk(_ root: OpaquePointer, _ visit: (OpaquePointer, Bool) -> Void) {
        let iter = cmark_iter_new(root)
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iter) else { continue }
            visit(node, event == CMARK_EVENT_ENTER)
        }
    }

    /// Collects nodes first so that callers may edit the tree afterwards.
    private func nodes(_ types: cmark_node_type...) -> [OpaquePointer] {
        var found: [OpaquePointer] = []
        Self.walk(root) { node, entering in
            if entering, types.contains(cmark_node_get_type(node)) { found.append(node) }
        }
        return found
    }

    private func location(of node: OpaquePointer) -> SourceLocation {
        var n: OpaquePointer? = node
        while let current = n, cmark_node_get_start_line(current) == 0 { n = cmark_node_parent(current) }
        guard let block = n else { return SourceLocation(line: 1 + lineOffset, column: 1) }
        let line = protected.originalLine(of: Int(cmark_node_get_start_line(block)))
        return SourceLocation(line: line + lineOffset, column: Int(max(1, cmark_node_get_start_column(block))))
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// Plain text of a node's inline content; formula tokens become their TeX.
    private func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        Self.walk(node) { child, entering in
            guard entering else { return }
            let type = cmark_node_get_type(child)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                text += Self.string(cmark_node_get_literal(child))
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return replaceTokens(in: text) { self.protected.spans[$0].tex }
    }

    // MARK: - Reading

    public var codeBlocks: [CodeBlock] { codeBlockNodes.map(\.block) }

    /// The code blocks with their nodes, read from the tree once (a big note's tree is walked
    /// again only after `replaceCodeBlocks` changed it). The same walk finds the headings, for
    /// `setHeadingIDs`: a walk of a big note's tree costs as much as a tenth of its parse.
    private var codeBlockNodes: [(node: OpaquePointer, block: CodeBlock)] {
        if let cachedCodeBlocks { return cachedCodeBlocks }
        let codeNodes = pendingCodeNodes ?? nodes(CMARK_NODE_CODE_BLOCK)
        pendingCodeNodes = nil
        let found = codeNodes.map { node in
            let start = protected.originalLine(of: Int(cmark_node_get_start_line(node)))
            let end = protected.originalLine(of: Int(cmark_node_get_end_line(node)))
            return (node, CodeBlock(info: Self.string(cmark_node_get_fence_info(node)).trimmingSpaces,
                                    code: Self.string(cmark_node_get_literal(node)),
                                    location: SourceLocation(line: start + lineOffset, column: Int(cmark_node_get_start_column(node))),
                                    lines: (start + lineOffset)...(max(start, end) + lineOffset)))
        }
        cachedCodeBlocks = found
        return found
    }

    private var cachedCodeBlocks: [(node: OpaquePointer, block: CodeBlock)]?
    /// The code block nodes the parse found, until `codeBlockNodes` reads them.
    private var pendingCodeNodes: [OpaquePointer]?
    /// The heading nodes the parse found; nil once `setHeadingIDs` replaced them.
    private var cachedHeadingNodes: [OpaquePointer]?
    /// The link, image and raw HTML nodes the parse found (`rewriteLinks` edits them in place);
    /// nil once `setHeadingIDs` freed the inline nodes of the headings.
    private(set) var cachedLinkNodes: [OpaquePointer]?

    /// Every link and image destination, with the position of the destination in the source:
    /// markdown links and images, and `href`/`src` attributes of raw HTML (`<img src=…>`).
    public var links: [LinkReference] {
        var found: [LinkReference] = []
        forEachLink { _, link, _ in found.append(link) }
        return found
    }

    /// Visits every link and image destination in document order: its node, the reference, and
    /// for a raw HTML attribute its range in the node's literal (`html`). The nodes are those the
    /// parse's walk found (a big note's tree is not walked again), or a walk's once the tree changed.
    /// Returns the bytes the destinations' searches looked at (the tests' measure of linearity).
    @discardableResult
    private func forEachLink(_ visit: (OpaquePointer, LinkReference, (html: String, range: Range<String.Index>)?) -> Void) -> Int {
        let budget = 64 * markdown.utf8.count + (1 << 20)
        var searchFrom = DestinationSearch(budget: budget)
        for node in cachedLinkNodes ?? linkNodesFromAWalk() {
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
                let html = Self.string(cmark_node_get_literal(node))
                for attribute in Self.htmlAttributes(html) {
                    var location = self.location(of: node)
                    if let at = self.find(attribute.value, from: location.line - lineOffset, after: &searchFrom) {
                        location = SourceLocation(line: at.line + lineOffset, column: at.column)
                    }
                    visit(node, LinkReference(url: attribute.value, isImage: attribute.name == "src", location: location), (html, attribute.range))
                }
                continue
            }
            guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE else { continue }
            let url = Self.string(cmark_node_get_url(node))
            var location = self.location(of: node)
            if let at = self.find(url, from: location.line - lineOffset, after: &searchFrom) {
                location = SourceLocation(line: at.line + lineOffset, column: at.column)
            }
            visit(node, LinkReference(url: url, isImage: type == CMARK_NODE_IMAGE, location: location), nil)
        }
        return budget - searchFrom.budget
    }

    /// The bytes that finding every link's destination in the source looks at.
    var destinationSearchCost: Int { forEachLink { _, _, _ in } }

    /// The link, image and raw HTML nodes as a walk of the tree finds them now (the tests compare
    /// them with those the parse's walk found).
    func linkNodesFromAWalk() -> [OpaquePointer] { nodes(CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE, CMARK_NODE_LINK, CMARK_NODE_IMAGE) }

    /// `href` and `src` attributes (double-, single- or un-quoted) in raw HTML, with the value's range.
    static func htmlAttributes(_ html: String) -> [(name: String, value: String, range: Range<String.Index>)] {
        let bytes = Array(html.utf8)
        var result: [(String, String, Range<String.Index>)] = []
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        func index(_ offset: Int) -> String.Index { html.utf8.index(html.utf8.startIndex, offsetBy: offset) }
        let patterns = [("href", Array("href=".utf8)), ("src", Array("src=".utf8))]
        var i = 1
        while i < bytes.count {
            var name: String?
            if isSpace(bytes[i - 1]) {
                for (candidate, pattern) in patterns where i + pattern.count <= bytes.count && bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
                    name = candidate
                    i += pattern.count
                    break
                }
            }
            guard let name else {
                i += 1
                continue
            }
            guard i < bytes.count else { break }
            var start = i, end = i
            if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                let quote = bytes[i]
                start = i + 1
                end = start
                while end < bytes.count, bytes[end] != quote { end += 1 }
                guard end < bytes.count else { break }
            } else {
                while end < bytes.count, !isSpace(bytes[end]), bytes[end] != UInt8(ascii: ">") { end += 1 }
            }
            result.append((name, String(decoding: bytes[start..<end], as: UTF8.self), index(start)..<index(end)))
            i = end + 1
        }
        return result
    }

    /// Where the destinations found so far stand, so that a repeated URL finds its next place and
    /// each search starts where the last one on that line ended; and how many more bytes the
    /// searches may look at. Every search looking on through the rest of its line made a line of
    /// 40,000 links quadratic (a debug build took 90 s); past the budget, 64 bytes per byte of
    /// the note and a megabyte, a link keeps the position cmark-gfm gives its node.
    struct DestinationSearch {
        /// Line → the byte after the last match on it, and that byte's column.
        var used: [Int: (byte: Int, column: Int)] = [:]
        var budget: Int
    }

    /// The first occurrence of `needle` in the source at or after `line`, as a 1-based position.
    /// A byte search in the line's UTF-8, its column counted in Unicode scalars.
    private func find(_ needle: String, from line: Int, after search: inout DestinationSearch) -> SourceLocation? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        let utf8 = markdown.utf8
        return utf8.withContiguousStorageIfAvailable { bytes -> SourceLocation? in
            func isScalarStart(_ p: Int) -> Bool { bytes[p] & 0xC0 != 0x80 }
            var l = max(line, 1)
            while l <= sourceLines.count, l < line + 50, search.budget > 0 {
                let lo = utf8.distance(from: utf8.startIndex, to: sourceLines[l - 1].lowerBound)
                let hi = utf8.distance(from: utf8.startIndex, to: sourceLines[l - 1].upperBound)
                // Past the scalars an earlier match on this line used; `column` is that of byte `p`.
                var (p, column) = search.used[l] ?? (lo, 1)
                var q = p
                while q + pattern.count <= hi, search.budget > 0 {
                    search.budget -= 1
                    if bytes[q] == first, (1..<pattern.count).allSatisfy({ bytes[q + $0] == pattern[$0] }) {
                        for k in p..<q where isScalarStart(k) { column += 1 }
                        // The match's first scalar is used: the next search on this line starts after it.
                        var next = q + 1
                        while next < hi, !isScalarStart(next) { next += 1 }
                        search.used[l] = (next, column + 1)
                        return SourceLocation(line: l, column: column)
                    }
                    q += 1
                }
                l += 1
            }
            return nil
        } ?? nil
    }

    /// For each line of a fenced code block's text (`code`), the columns its line in the file
    /// has before it: the list item's or block quote's markers and indentation that cmark-gfm
    /// takes off the block's lines. A position in the text at column `c` of its line `k` (0-based)
    /// is at column `c + shifts[k]` of the file. Empty for a block whose fence starts its line
    /// (nothing taken off); a line that is not the end of its line in the file (a tab cmark-gfm
    /// expanded) is taken to have lost the fence's indentation.
    public func columnShifts(of block: CodeBlock) -> [Int] {
        guard block.location.column > 1 else { return [] }
        var lines = block.code.split(separator: "\n", omittingEmptySubsequences: false)
        if block.code.hasSuffix("\n") { lines.removeLast() }
        let fence = block.lines.lowerBound - lineOffset // the fence's line in `markdown`, 1-based
        return lines.enumerated().map { k, text in
            let line = fence + 1 + k
            guard line >= 1, line <= sourceLines.count else { return block.location.column - 1 }
            let source = markdown[sourceLines[line - 1]]
            guard source.hasSuffix(text) else { return block.location.column - 1 }
            return source.unicodeScalars.count - text.unicodeScalars.count
        }
    }

    // MARK: - Editing

    /// Gives every heading an `id` (GitHub-style slug of its text) and returns them in order.
    @discardableResult
    public func setHeadingIDs(slugger: inout HeadingSlugger) -> [Heading] {
        var headings: [Heading] = []
        let headingNodes = cachedHeadingNodes ?? nodes(CMARK_NODE_HEADING)
        cachedHeadingNodes = nil // replaced below
        cachedLinkNodes = nil // a heading's inline nodes are freed below
        for node in headingNodes {
            let level = Int(cmark_node_get_heading_level(node))
            let text = plainText(node)
            let id = slugger.slug(for: text)
            headings.append(Heading(level: level, text: text, id: id, location: location(of: node)))
            // The heading becomes a raw HTML block with the same inline HTML cmark-gfm would write.
            let paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH)!
            while let child = cmark_node_first_child(node) {
                cmark_node_unlink(child)
                cmark_node_append_child(paragraph, child)
            }
            let document = cmark_node_new(CMARK_NODE_DOCUMENT)!
            cmark_node_append_child(document, paragraph)
            let inner = Self.unwrappingParagraph(CommonMark.takeString(cmark_render_html(document, CommonMark.options, cmark_parser_get_syntax_extensions(parser))))
            cmark_node_free(document)
            // The inline HTML was filtered as the author's when rendered above; the block is ours.
            let block = Self.generatedBlock("<h\(level) id=\"\(HTMLEscape.escape(id))\">\(inner)</h\(level)>")
            cmark_node_replace(node, block)
            cmark_node_free(node)
        }
        return headings
    }

    /// The inline HTML of a paragraph rendered alone (a heading's, a caption's): `html` without its
    /// `<p>` and `</p>\n`, cut at their bytes. (Compared by characters, a text starting with a
    /// combining mark kept its `<p>`, one ending in a prepended mark such as U+0600 its `</p>`;
    /// and for non-ASCII text each comparison took a character walk.)
    public static func unwrappingParagraph(_ html: String) -> String {
        let utf8 = html.utf8
        var start = utf8.startIndex, end = utf8.endIndex
        if utf8.starts(with: "<p>".utf8) { start = utf8.index(start, offsetBy: 3) }
        // (The two cannot overlap: no end of `<p>` begins `</p>\n`.)
        if utf8.suffix(5).elementsEqual("</p>\n".utf8) { end = utf8.index(end, offsetBy: -5) }
        guard start != utf8.startIndex || end != utf8.endIndex else { return html }
        return String(html[start..<end])
    }

    /// Replaces link and image destinations: `transform` returns the new URL, or nil to keep it.
    /// Raw HTML `href`/`src` attributes are rewritten in place too. One walk of the tree, which
    /// finds the links and rewrites them (a URL is set in place; an HTML literal once its node is passed).
    public func rewriteLinks(_ transform: (LinkReference) -> String?) {
        var edits: [(node: OpaquePointer, html: String, replacements: [(Range<String.Index>, String)])] = []
        forEachLink { node, link, attribute in
            guard let url = transform(link) else { return }
            guard let (html, range) = attribute else {
                cmark_node_set_url(node, url)
                return
            }
            if edits.last?.node != node { edits.append((node, html, [])) }
            edits[edits.count - 1].replacements.append((range, url))
        }
        for var edit in edits {
            for (range, url) in edit.replacements.reversed() { edit.html.replaceSubrange(range, with: HTMLEscape.escape(url)) }
            cmark_node_set_literal(edit.node, edit.html)
        }
    }

    /// A block of HTML lossbook generated, written out as is: a custom block, which cmark-gfm's
    /// `tagfilter` (it filters raw HTML nodes only) leaves alone.
    private static func generatedBlock(_ html: String) -> OpaquePointer {
        let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(block, html.hasSuffix("\n") ? String(html.dropLast()) : html)
        return block
    }

    /// Replaces code blocks by generated HTML (never tag-filtered): `transform` returns the HTML,
    /// or nil to keep the block.
    public func replaceCodeBlocks(_ transform: (CodeBlock) throws -> String?) rethrows {
        let blocks = codeBlockNodes
        cachedCodeBlocks = nil // nodes are replaced below
        for (node, block) in blocks {
            guard let html = try transform(block) else { continue }
            let replacement = Self.generatedBlock(html)
            cmark_node_replace(node, replacement)
            cmark_node_free(node)
        }
    }

    // MARK: - Rendering

    /// The HTML fragment, each formula token replaced by `math(index)`.
    /// A display formula alone in its paragraph replaces the paragraph.
    public func html(math: (Int) -> String) -> String {
        let raw = CommonMark.takeString(cmark_render_html(root, CommonMark.options, cmark_parser_get_syntax_extensions(parser)))
        guard !protected.spans.isEmpty else { return raw }
        return replaceTokens(in: raw, alonePrefix: "<p>", aloneSuffix: "</p>", math: math)
    }
}

/// Replaces `\u{E000}N\u{E001}` tokens. With `alonePrefix`/`aloneSuffix`, a display token
/// standing alone between them takes their place. Scans UTF-8 bytes (pages carry large SVGs) and
/// builds the result from slices of `text` and the replacements, which are valid UTF-8 already:
/// no copy of the page as an array, nothing validated twice.
func replaceTokens(in text: String, alonePrefix: String? = nil, aloneSuffix: String? = nil,
                   math: (Int) -> String) -> String {
    var text = text
    text.makeContiguousUTF8()
    let prefix = Array((alonePrefix ?? "").utf8), suffix = Array((aloneSuffix ?? "").utf8)
    let displayStarts = [Array("<span class=\"math-display\"".utf8), Array("<div".utf8)]
    return text.utf8.withContiguousStorageIfAvailable { bytes -> String in
        var out = ""
        var copied = 0 // bytes of `text` before this are in `out`
        func index(_ offset: Int) -> String.Index { text.utf8.index(text.startIndex, offsetBy: offset) }
        var from = 0
        // U+E000 opens a formula's token, U+E001 closes it.
        while let token = numberedToken(in: bytes, from: from, open: 0x80, close: 0x81) {
            let i = token.range.lowerBound
            // A display formula's wrapper makes the result a little longer than the text: room
            // for it now, or a big page would be copied whole into storage twice the size (the
            // room left unused is never touched, so it costs no memory).
            if out.isEmpty { out.reserveCapacity(bytes.count + bytes.count / 8) }
            out += text[index(copied)..<index(i)]
            let rendered = math(token.number)
            var after = token.range.upperBound
            // Drop a `<p>` directly before and a `</p>` directly after, if both are there.
            if !prefix.isEmpty, out.utf8.count >= prefix.count, out.utf8.suffix(prefix.count).elementsEqual(prefix),
               after + suffix.count <= bytes.count, UnsafeBufferPointer(rebasing: bytes[after..<(after + suffix.count)]).elementsEqual(suffix),
               displayStarts.contains(where: { rendered.utf8.starts(with: $0) }) {
                out.removeSubrange(out.utf8.index(out.endIndex, offsetBy: -prefix.count)..<out.endIndex)
                after += suffix.count
            }
            out += rendered
            from = after
            copied = after
        }
        guard copied > 0 else { return text }
        out += text[index(copied)...]
        return out
    }!
}

/// The first token `<private-use open><decimal digits><private-use close>` at or after byte `from`:
/// its byte range and number. The private-use characters are U+E0xx (EE 80 xx in UTF-8) with
/// `open` and `close` their last byte: the formula tokens (U+E000…U+E001) and the typesetting
/// placeholders (U+E002…U+E003) are scanned alike.
public func numberedToken(in bytes: UnsafeBufferPointer<UInt8>, from: Int, open: UInt8, close: UInt8) -> (range: Range<Int>, number: Int)? {
    guard let base = bytes.baseAddress else { return nil }
    var i = from
    while i < bytes.count {
        // The page's text between tokens (most of it) is passed over with `memchr`, not byte by byte.
        guard let lead = memchr(base + i, 0xEE, bytes.count - i) else { return nil }
        i = base.distance(to: lead.assumingMemoryBound(to: UInt8.self))
        guard i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == open else {
            i += 1
            continue
        }
        var j = i + 3
        var number = 0
        while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") {
            number = number * 10 + Int(bytes[j] - UInt8(ascii: "0"))
            j += 1
        }
        guard j > i + 3, j + 2 < bytes.count, bytes[j] == 0xEE, bytes[j + 1] == 0x80, bytes[j + 2] == close else {
            i += 1
            continue
        }
        return (i..<(j + 3), number)
    }
    return nil
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
