import Foundation
import Markdown

/// A page's body rendered to HTML, with what the theme and the link checker need.
public struct RenderedPage: Sendable {
    public var source: SourcePage
    public var title: String
    public var html: String
    public var headings: [Heading]
    /// Every `id` in the page, for anchor checks.
    public var anchors: Set<String>
    /// Fragments this page links to in other (or its own) pages: checked once every page is rendered.
    var anchorChecks: [(page: String, fragment: String, url: String, location: SourceLocation)]
    /// Loss ids the page uses (executable blocks, `ref:` links).
    var mentions: Set<String> = []
    var fixes: [FixEdit] = []
}

/// Markdown → HTML fragment for one page: formulas, code, heading ids, links.
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

    /// What rendering a page found besides its HTML.
    struct Output {
        var html: String
        var headings: [Heading]
        /// Loss ids used by the page's executable blocks and `ref:` links.
        var mentions: Set<String> = []
        /// `--fix` edits of `expected:` numbers.
        var fixes: [FixEdit] = []
    }

    /// Expands an executable block (memoised); nil for an ordinary code block.
    func expansion(_ block: CodeBlock, path: String) throws -> Expansion? {
        guard let expander, DirectiveKind.of(block.info) != nil else { return nil }
        let info = DirectiveExpander.CodeBlockInfo(info: block.info, code: block.code, line: block.location.line, column: block.location.column)
        if let executions { return try executions.expansion(info, path: path, expander: expander) }
        return try expander.expand(info, path: path)
    }

    /// The renderer for markdown an executable block generated: no heading ids, no further directives.
    var nested: PageRenderer {
        var copy = self
        copy.options.headingIDs = false
        copy.expander = nil
        return copy
    }

    // MARK: Requests

    /// The formulas and code blocks a page needs rendered by the helper (those of executable
    /// blocks included). Throws only when the markdown itself cannot be read.
    func requests(markdown: String, lineOffset: Int, path: String) throws -> Set<RenderRequest> {
        let document = try parse(markdown, lineOffset: lineOffset, path: path)
        var requests = Set<RenderRequest>()
        for span in document.math {
            requests.insert(.math(tex: span.tex, display: span.kind == .display))
        }
        for block in document.codeBlocks {
            if DirectiveKind.of(block.info) != nil, expander != nil {
                // A failing block is reported by `render`, with the build's other mistakes.
                if let expansion = try? expansion(block, path: path) {
                    requests.formUnion((try? nested.requests(markdown: expansion.markdown, lineOffset: 0, path: path)) ?? [])
                }
                continue
            }
            if let request = request(for: block) { requests.insert(request) }
        }
        return requests
    }

    private func request(for block: CodeBlock) -> RenderRequest? {
        let language = block.language.lowercased()
        if language == "math" { return .math(tex: block.code, display: true) }
        guard options.decorateCode, !language.isEmpty else { return nil }
        return .code(language: Self.highlightName(language), code: block.code)
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

    func parse(_ markdown: String, lineOffset: Int, path: String) throws -> MarkdownDocument {
        do {
            return try MarkdownDocument(markdown, lineOffset: lineOffset)
        } catch let error as MarkdownError {
            throw Diagnostic(path, line: error.location.line, column: error.location.column, stage: .markdown,
                             error.message, hint: error.hint)
        }
    }

    // MARK: Rendering

    /// Renders a markdown body. Formulas and code must already be in `cache`.
    /// - Parameter rewriteLink: returns the new URL of a link, nil to keep it; throws for a broken one.
    func render(markdown: String, lineOffset: Int, path: String, cache: RenderCache,
                rewriteLink: ((LinkReference) throws -> String?)? = nil) throws -> Output {
        let document = try parse(markdown, lineOffset: lineOffset, path: path)
        var diagnostics: [Diagnostic] = []


        var mentions = Set<String>()
        if let rewriteLink {
            document.rewriteLinks { link in
                if link.url.hasPrefix("ref:") { mentions.insert(String(link.url.dropFirst(4))) }
                do { return try rewriteLink(link) } catch let d as Diagnostic {
                    diagnostics.append(d)
                } catch {
                    diagnostics.append(Diagnostic(path, line: link.location.line, column: link.location.column, stage: .links, "\(error)"))
                }
                return nil
            }
        }

        var equation = 0
        func mathHTML(_ tex: String, display: Bool, location: (Int) -> (line: Int, column: Int)) -> String {
            switch cache[.math(tex: tex, display: display)] {
            case let .html(html)?:
                guard display else { return html }
                equation += 1
                return "<span class=\"math-display\" id=\"eq-\(equation)\">\(html)</span>"
            case let .error(message, position)?:
                let at = location(position ?? 0)
                diagnostics.append(Diagnostic(path, line: at.line, column: at.column, stage: .math, "KaTeX parse error: \(message)",
                                              hint: "fix the LaTeX; a literal dollar sign is written \\$"))
                return ""
            default:
                return escapeHTML(tex)
            }
        }

        // Heading ids after the links: a heading's inline HTML is fixed when it becomes an id'd block.
        var slugger = HeadingSlugger()
        let headings = options.headingIDs ? document.setHeadingIDs(slugger: &slugger) : []

        var fixes: [FixEdit] = []
        try document.replaceCodeBlocks { block in
            do {
                if let expansion = try expansion(block, path: path) {
                    mentions.formUnion(expansion.mentions)
                    fixes += expansion.fixes
                    let inner = try nested.render(markdown: expansion.markdown, lineOffset: block.location.line, path: path,
                                                  cache: cache, rewriteLink: rewriteLink)
                    mentions.formUnion(inner.mentions)
                    return inner.html
                }
            } catch let failure as BuildFailure {
                diagnostics += failure.diagnostics
                return ""
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
                return ""
            }
            let language = block.language.lowercased()
            if language == "math" {
                return mathHTML(block.code, display: true) { offset in
                    let span = MathSpan(kind: .display, tex: block.code, line: block.location.line + 1, column: 1)
                    return span.location(ofScalarOffset: offset)
                }
            }
            guard options.decorateCode else { return nil }
            var body = escapeHTML(block.code)
            var classes = ""
            if let request = request(for: block), case let .html(highlighted)? = cache[request] {
                body = highlighted
                classes = " class=\"language-\(escapeHTML(language)) hljs\""
            } else if !language.isEmpty {
                classes = " class=\"language-\(escapeHTML(language))\""
            }
            return "<div class=\"code-block\"><button class=\"copy\" type=\"button\" title=\"\(options.copyLabel)\" aria-label=\"\(options.copyLabel)\"></button>"
                + "<pre><code\(classes)>\(body)</code></pre></div>"
        }

        let spans = document.math
        let html = document.html { index in
            let span = spans[index]
            return mathHTML(span.tex, display: span.kind == .display) { span.location(ofScalarOffset: $0) }
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
        return Output(html: html, headings: headings, mentions: mentions, fixes: fixes)
    }
}

func escapeHTML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

/// Every `id="…"` in an HTML fragment (a byte scan: this runs on every page).
func htmlIDs(_ html: String) -> Set<String> {
    var ids = Set<String>()
    let needle = Array(" id=\"".utf8)
    var bytes = html.utf8.makeIterator()
    var matched = 0
    var collecting = false
    var current: [UInt8] = []
    while let b = bytes.next() {
        if collecting {
            if b == UInt8(ascii: "\"") {
                ids.insert(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                collecting = false
            } else {
                current.append(b)
            }
            continue
        }
        if b == needle[matched] {
            matched += 1
            if matched == needle.count {
                collecting = true
                matched = 0
            }
        } else {
            matched = b == needle[0] ? 1 : 0
        }
    }
    return ids
}
