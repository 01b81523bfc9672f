import Foundation
import Markdown

/// Markdown → HTML fragment for one page, in one cmark-gfm parse: links rewritten, heading ids,
/// executable blocks replaced by their results, and a placeholder wherever a formula or a
/// highlighted code block goes (filled in by the typeset stage, after the build's one batch).
/// The same steps serve `lossbook render` (without links and theme).
struct PageRenderer: Sendable {
    struct Options: Sendable {
        /// Give headings `id`s (the site does; `render --plain` does not, to compare with cmark-gfm).
        var headingIDs = true
        /// Highlight code and give code blocks a copy button.
        var decorateCode = true
        var copyLabel = "Copy"
    }

    var options = Options()
    /// Runs executable blocks; nil leaves them as code.
    var expander: DirectiveExpander?
    var executions: ExecutionCache?

    func parse(_ markdown: String, lineOffset: Int, path: String) throws -> MarkdownDocument {
        do {
            return try MarkdownDocument(markdown, lineOffset: lineOffset)
        } catch let error as MarkdownError {
            throw Diagnostic(path, line: error.location.line, column: error.location.column, stage: .markdown,
                             error.message, hint: error.hint)
        }
    }

    // MARK: - Execute

    /// Runs the document's executable blocks (through the execution cache), in document order.
    /// A failing block is recorded with its diagnostics, so that the build reports it together
    /// with every other mistake.
    func execute(_ document: MarkdownDocument, path: String) -> [Int: Result<Expansion, BuildFailure>] {
        guard let expander else { return [:] }
        var results: [Int: Result<Expansion, BuildFailure>] = [:]
        // A block's result depends on its info string and body, not on where it stands (the
        // execution cache's key says so): a block repeated in the page is looked up (or run) once.
        // Not with `fix`, whose edits name the block's lines, nor with a substituted runner (tests).
        var done: [BlockText: Expansion] = [:]
        for (index, block) in document.codeBlocks.enumerated() {
            guard DirectiveKind.of(block.info) != nil else {
                if let misspelt = DirectiveKind.misspelling(block.info, path: path, line: block.location.line, column: block.location.column) {
                    results[index] = .failure(BuildFailure([misspelt]))
                }
                continue
            }
            let text = BlockText(info: block.info, code: block.code)
            if let known = done[text] {
                results[index] = .success(known)
                continue
            }
            let info = DirectiveExpander.CodeBlockInfo(info: block.info, code: block.code, line: block.location.line,
                                                       column: block.location.column, columnShifts: document.columnShifts(of: block))
            do {
                let cache = LossRunner.substitute == nil ? executions : nil
                let expansion = try cache.map { try $0.expansion(info, path: path, expander: expander) }
                    ?? expander.expand(info, path: path)
                results[index] = .success(expansion)
                if !expander.fix, cache != nil { done[text] = expansion }
            } catch let failure as BuildFailure {
                results[index] = .failure(failure)
            } catch let diagnostic as Diagnostic {
                results[index] = .failure(BuildFailure([diagnostic]))
            } catch {
                results[index] = .failure(BuildFailure([Diagnostic(path, line: block.location.line, column: block.location.column,
                                                                   stage: .execute, "\(error)")]))
            }
        }
        return results
    }

    /// What a block's result depends on in one page (its run, and its HTML: ``MadeBlocks``).
    struct BlockText: Hashable {
        var info: String
        var code: String
    }

    // MARK: - Render

    /// Renders a parsed page with its executed blocks. Mistakes (broken links, failed blocks) are
    /// collected in the draft, not thrown, so the build can report all of them at once.
    /// - Parameter rewriteLink: returns the new URL of a link, nil to keep it; throws for a broken one.
    ///   The URL depends on the link, not on where it stands (a repeated executed block's HTML is made once).
    func render(_ document: MarkdownDocument, executed: [Int: Result<Expansion, BuildFailure>] = [:], path: String,
                rewriteLink: ((LinkReference) throws -> String?)? = nil) -> Draft {
        var draft = Draft()
        func rewrite(_ link: LinkReference, _ draft: inout Draft) -> String? {
            guard let rewriteLink else { return nil }
            if link.url.hasPrefix("ref:") { draft.mentions.insert(String(link.url.dropFirst(4))) }
            do { return try rewriteLink(link) } catch let d as Diagnostic {
                draft.diagnostics.append(d)
            } catch {
                draft.diagnostics.append(Diagnostic(path, line: link.location.line, column: link.location.column, stage: .links, "\(error)"))
            }
            return nil
        }
        if rewriteLink != nil { document.rewriteLinks { rewrite($0, &draft) } }

        // Heading ids after the links: a heading's inline HTML is fixed when it becomes an id'd block.
        var slugger = HeadingSlugger()
        draft.headings = options.headingIDs ? document.setHeadingIDs(slugger: &slugger) : []

        var index = 0
        let labels = InlineLabels(), made = MadeBlocks()
        document.replaceCodeBlocks { block in
            defer { index += 1 }
            if let result = executed[index] {
                switch result {
                case let .success(expansion):
                    draft.mentions.formUnion(expansion.mentions)
                    draft.fixes += expansion.fixes
                    // A placeholder, so that cmark-gfm never filters generated HTML (SVG titles and styles).
                    var html = executedHTML(expansion.output, block: block, draft: &draft, labels: labels, made: made, rewrite: rewrite)
                    if html.hasSuffix("\n") { html.removeLast() } // cmark-gfm ends the block's line
                    return draft.add(.html(html))
                case let .failure(failure):
                    draft.diagnostics += failure.diagnostics
                    return ""
                }
            }
            let language = block.language.lowercased()
            if language == "math" {
                return draft.math(block.code, display: true, at: MathSpan(kind: .display, tex: block.code, line: block.location.line + 1, column: 1))
            }
            guard options.decorateCode else { return nil }
            return codeBlock(block.code, language: language, draft: &draft)
        }

        let spans = document.math
        draft.html = document.html { index in
            let span = spans[index]
            return draft.math(span.tex, display: span.kind == .display, at: span)
        }
        return draft
    }

    /// A code block with its copy button; the `<code>` element is a placeholder until typeset.
    private func codeBlock(_ code: String, language: String, draft: inout Draft) -> String {
        let request: RenderRequest? = options.decorateCode && !language.isEmpty
            ? .code(language: Self.highlightName(language), code: code) : nil
        let token = draft.add(.code(language: language, code: code, request: request))
        return "<div class=\"code-block\"><button class=\"copy\" type=\"button\" title=\"\(options.copyLabel)\" aria-label=\"\(options.copyLabel)\"></button>"
            + "<pre>\(token)</pre></div>"
    }

    static func highlightName(_ language: String) -> String {
        switch language {
        case "sh", "shell", "console", "zsh": return "bash"
        case "py", "python3": return "python"
        case "yml": return "yaml"
        case "latex": return "tex"
        case "jsonc": return "json"
        default: return language
        }
    }

    // MARK: - Executed blocks

    /// The HTML of an executable block's result.
    func html(_ output: BlockOutput, block: CodeBlock, draft: inout Draft, labels: InlineLabels,
                      rewrite: (LinkReference, inout Draft) -> String?) -> String {
        let fence = MathSpan(kind: .display, tex: "", line: block.location.line, column: block.location.column)
        switch output {
        case let .formulas(formulas, marks):
            // As `$$` on lines of their own would give them (the TeX shows in MathML annotations).
            return formulas.enumerated().map { index, formula in
                let tex = "\n\(formula)\n"
                let mark = index < marks.count ? marks[index].map { $0 + "\n" } ?? "" : ""
                return draft.math(tex, display: true, at: MathSpan(kind: .display, tex: tex, line: fence.line, column: fence.column)) + "\n" + mark
            }.joined()
        case let .code(excerpt):
            return "<p class=\"code-source\">\(excerpt.caption)</p>\n" + codeBlock(excerpt.code + "\n", language: "swift", draft: &draft) + "\n"
        case let .figure(figure):
            return rewriteFigureLinks(figure.utf8Replacing(BlockOutput.fenceLineToken, with: String(block.location.line)), block: block, draft: &draft, rewrite: rewrite)
        case let .table(table):
            var html = "<div class=\"executed\">\n"
            // Inline markdown, as a row label: a caption names parameters in code and variables in formulas.
            if let caption = table.caption { html += "<p class=\"caption\">\(inlineMarkdown(caption, block: block, draft: &draft, labels: labels))</p>\n" }
            let align = table.rightAligned ? " align=\"right\"" : ""
            func cell(_ cell: Cell) -> String {
                switch cell {
                case let .text(text):
                    return escapeHTML(text)
                case let .math(tex):
                    return draft.math(tex, display: false, at: MathSpan(kind: .inline, tex: tex, line: fence.line, column: fence.column))
                case let .loss(name, id):
                    let link = LinkReference(url: "ref:\(id)", isImage: false, location: block.location)
                    let url = rewrite(link, &draft) ?? link.url
                    return "<a href=\"\(escapeHTML(url))\">\(escapeHTML(name))</a>"
                case let .markdown(text):
                    return inlineMarkdown(text, block: block, draft: &draft, labels: labels)
                }
            }
            html += "<table>\n<thead>\n<tr>\n"
            for header in table.header { html += "<th\(align)>\(cell(header))</th>\n" }
            html += "</tr>\n</thead>\n"
            if !table.rows.isEmpty {
                html += "<tbody>\n"
                for row in table.rows {
                    html += "<tr>\n"
                    for value in row { html += "<td\(align)>\(cell(value))</td>\n" }
                    html += "</tr>\n"
                }
                html += "</tbody>\n"
            }
            html += "</table>\n\(table.verified)\n</div>\n"
            return html
        }
    }
}

/// A page rendered up to its formulas and highlighted code: HTML with placeholders, and what
/// fills them.
struct Draft: Sendable, Codable {
    /// What a placeholder stands for.
    enum Pending: Sendable, Codable {
        /// A formula; `span` locates KaTeX's errors in the source.
        case math(display: Bool, span: MathSpan)
        /// A code block's `<code>` element: highlighted when `request` is answered.
        case code(language: String, code: String, request: RenderRequest?)
        /// An executable block's result, kept away from cmark-gfm; it may hold placeholders itself.
        case html(String)

        var request: RenderRequest? {
            switch self {
            case let .math(display, span): return .math(tex: span.tex, display: display)
            case let .code(_, _, request): return request
            case .html: return nil
            }
        }
    }

    var html = ""
    var pending: [Pending] = []
    var headings: [Heading] = []
    /// Loss ids the page uses (executable blocks, `ref:` links).
    var mentions = Set<String>()
    var fixes: [FixEdit] = []
    var diagnostics: [Diagnostic] = []

    /// `\u{E002}N\u{E003}`: private-use characters that neither cmark-gfm nor a note produces.
    static func token(_ index: Int) -> String { "\u{E002}\(index)\u{E003}" }

    mutating func add(_ item: Pending) -> String {
        pending.append(item)
        return Self.token(pending.count - 1)
    }

    /// A formula's placeholder. A display formula's wrapper is written now (so that it replaces
    /// a paragraph it stands alone in); its anchor `#eq-N` when typeset, in document order.
    mutating func math(_ tex: String, display: Bool, at span: MathSpan) -> String {
        var span = span
        span.tex = tex
        let token = add(.math(display: display, span: span))
        return display ? "<span class=\"math-display\"\(token)</span>" : token
    }

    var requests: [RenderRequest] { pending.compactMap(\.request) }

    /// The final HTML: every placeholder replaced by its typeset formula or highlighted code, as
    /// the page's text and its shared formulas (``TypesetHTML``): each distinct formula is looked
    /// up in the cache once, and placed wherever the page repeats it rather than copied (a big
    /// note repeats its formulas thousands of times). KaTeX's errors become diagnostics at the
    /// formula's position in `path`. `sharing` false copies every formula into the text (what the
    /// shared page must read as, for tests).
    func typeset(with cache: RenderCache, path: String, copyLabel: String = "Copy",
                 sharing: Bool = true) -> (html: TypesetHTML, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var equations = 0
        var lookedUp: [RenderRequest: (result: RenderResult?, shared: Int?)] = [:]
        var out = TypesetHTML()
        // Room for the text without reading the cache twice: more than a page uses costs address
        // space only (pages never written are never touched); a page that needs more grows.
        out.reserveCapacity(pending.reduce(html.utf8.count) { size, item in
            switch item {
            case .math: return size + 32
            case let .code(language, code, _): return size + language.utf8.count + 8 * code.utf8.count + 64
            case let .html(html): return size + html.utf8.count
            }
        })
        func fill(_ index: Int) {
            switch pending[index] {
            case let .math(display, span):
                if display {
                    equations += 1
                    out.append(" id=\"eq-\(equations)\">")
                }
                let request = RenderRequest.math(tex: span.tex, display: display)
                var known: (result: RenderResult?, shared: Int?)
                if let seen = lookedUp[request] {
                    known = seen
                } else {
                    known = (cache[request], nil)
                    if sharing, case let .html(html)? = known.result {
                        let facts = cache.facts(request)
                        if facts?.shareable ?? TypesetHTML.canShare(html) { known.shared = out.share(html, facts: facts) }
                    }
                    lookedUp[request] = known
                }
                switch known.result {
                case let .html(html)?:
                    if let shared = known.shared { out.place(shared) } else { out.append(html) }
                case let .error(message, position)?:
                    let at = span.location(ofScalarOffset: position ?? 0)
                    diagnostics.append(Diagnostic(path, line: at.line, column: at.column, stage: .math,
                                                  "KaTeX parse error: \(message.utf8Replacing("\n", with: " "))",
                                                  hint: Self.parseErrorHint(message)))
                case let .refused(command, position)?:
                    let at = span.location(ofScalarOffset: position ?? 0)
                    diagnostics.append(Diagnostic(path, line: at.line, column: at.column, stage: .math,
                                                  "'\(command)' is not allowed in a formula", hint: Self.refusalHint(command)))
                default:
                    out.append(escapeHTML(span.tex))
                }
            case let .code(language, code, request):
                if let request, case let .html(highlighted)? = cache[request] {
                    out.append("<code class=\"language-\(escapeHTML(language)) hljs\">\(highlighted)</code>")
                } else {
                    let classes = language.isEmpty ? "" : " class=\"language-\(escapeHTML(language))\""
                    out.append("<code\(classes)>\(escapeHTML(code))</code>")
                }
            case let .html(html):
                fill(placeholdersIn: html)
            }
        }
        /// The text between `html`'s placeholders, each placeholder filled where it stands.
        func fill(placeholdersIn html: String) {
            var html = html
            html.makeContiguousUTF8()
            let utf8 = html.utf8
            func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
            var copied = 0
            // U+E002 opens a placeholder, U+E003 closes it.
            while let token = utf8.withContiguousStorageIfAvailable({ numberedToken(in: $0, from: copied, open: 0x82, close: 0x83) })! {
                out.append(html[index(copied)..<index(token.range.lowerBound)])
                fill(token.number)
                copied = token.range.upperBound
            }
            out.append(html[index(copied)...])
        }
        fill(placeholdersIn: html)
        return (out, diagnostics)
    }

    /// The hint under a KaTeX parse error: the generic one, or the cause KaTeX's words name.
    static func parseErrorHint(_ message: String) -> String {
        if message.contains("Too many expansions") {
            return "a macro expands into itself; check the macros under 'math: macros:' in lossbook.yaml"
        }
        return "fix the LaTeX; a literal dollar sign is written \\$"
    }

    /// What to write instead of a command KaTeX's `trust` option refuses: links, HTML attributes, files.
    static func refusalHint(_ command: String) -> String {
        switch command {
        case "\\href", "\\url":
            return "write the link in the text around the formula"
        case "\\includegraphics":
            return "put the image in the text around the formula"
        default:
            return "formulas carry no HTML attributes; style the text around the formula instead"
        }
    }
}

/// Replaces `\u{E002}N\u{E003}` placeholders, scanning UTF-8 bytes (pages carry large SVGs). The
/// replacements are made first (in order), so that the result is allocated once at its size and
/// built from slices of `text` and the replacements, valid UTF-8 already: no array copy of the
/// page, no growing copies, nothing validated again. `open` and `close` name other tokens
/// (``numberedToken(in:from:open:close:)``): `0x80`, `0x81` for a parse's formulas.
func replacePlaceholders(in text: String, open: UInt8 = 0x82, close: UInt8 = 0x83, _ replacement: (Int) -> String) -> String {
    var text = text
    text.makeContiguousUTF8()
    return text.utf8.withContiguousStorageIfAvailable { bytes -> String in
        var replacements: [(range: Range<Int>, text: String)] = []
        var size = bytes.count
        var from = 0
        // U+E002 opens a placeholder, U+E003 closes it (by default).
        while let token = numberedToken(in: bytes, from: from, open: open, close: close) {
            let filled = replacement(token.number)
            size += filled.utf8.count - token.range.count
            replacements.append((token.range, filled))
            from = token.range.upperBound
        }
        guard !replacements.isEmpty else { return text }
        func index(_ offset: Int) -> String.Index { text.utf8.index(text.startIndex, offsetBy: offset) }
        var out = ""
        out.reserveCapacity(size)
        var copied = 0 // bytes of `text` before this are in `out`
        for (range, filled) in replacements {
            out += text[index(copied)..<index(range.lowerBound)]
            out += filled
            copied = range.upperBound
        }
        out += text[index(copied)...]
        return out
    }!
}

/// `&`, `<`, `>` and `"` as entities (``HTMLEscape``, under the name the site's code uses).
func escapeHTML(_ s: String) -> String { HTMLEscape.escape(s) }

/// Every `id="…"` in an HTML fragment (a search of the page in place: this runs on every page).
/// `strstr` (vectorised in the C library) jumps from one ` id="` to the next, over the page's
/// NUL-terminated bytes and past any NUL in them: a byte-by-byte loop stopped at every space, and
/// spaces are most of a page's tags and text (a 5 MB note: 3.3% of its build).
func htmlIDs(_ html: String) -> Set<String> {
    htmlIDs(html, unless: { _ in false })!
}

/// Every id of a typeset page, found in its text (a shared formula holds none,
/// ``TypesetHTML/canShare(_:)``); in the joined page if one reaches across a formula's place there.
func htmlIDs(_ html: TypesetHTML) -> Set<String> {
    htmlIDs(inTextOf: html) ?? htmlIDs(html.joined)
}

/// A typeset page's ids as found in its text alone; nil if one reaches across a formula's place.
func htmlIDs(inTextOf html: TypesetHTML) -> Set<String>? {
    html.withTextCString { htmlIDs(inCString: $0, unless: html.crossesPlacement) }
}

/// ``htmlIDs(_:)-(String)``, or nil as soon as an id (from its ` id="` to its closing quote, or
/// to the end for an unclosed one) covers a byte range `crossing` is true of.
private func htmlIDs(_ html: String, unless crossing: (Range<Int>) -> Bool) -> Set<String>? {
    let count = html.utf8.count
    return html.withCString {
        htmlIDs(inCString: UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: count), unless: crossing)
    }
}

/// ``htmlIDs(_:unless:)`` of `bytes`, a NUL after them (not counted).
private func htmlIDs(inCString bytes: UnsafeBufferPointer<UInt8>, unless crossing: (Range<Int>) -> Bool) -> Set<String>? {
    // Gathered first and made a set of its final size: a big page's 150,000 ids were otherwise
    // hashed again at each of the set's growths.
    var ids: [String] = []
    let needle = " id=\""
    var crossed = false
    let count = bytes.count
    if let start = bytes.baseAddress {
        let base = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
        var i = 0
        while i < count {
            guard let hit = strstr(base + i, needle) else {
                // The search stopped at a NUL inside the page (or at its end): go on after it.
                guard let nul = memchr(base + i, 0, count - i) else { break }
                i = base.distance(to: nul.assumingMemoryBound(to: CChar.self)) + 1
                continue
            }
            let start = base.distance(to: hit) + needle.utf8.count
            guard let quote = memchr(base + start, Int32(UInt8(ascii: "\"")), count - start) else { // an unclosed value is no id
                crossed = crossing(base.distance(to: hit)..<(count + 1))
                break
            }
            let end = base.distance(to: quote.assumingMemoryBound(to: CChar.self))
            if crossing(base.distance(to: hit)..<(end + 1)) {
                crossed = true
                break
            }
            ids.append(String(decoding: UnsafeRawBufferPointer(start: base + start, count: end - start), as: UTF8.self))
            i = end + 1
        }
    }
    guard !crossed else { return nil }
    var set = Set<String>(minimumCapacity: ids.count)
    for id in ids { set.insert(id) }
    return set
}
