import Foundation

/// The site's search index, one per language, as a script (`<lang>/search-index.js`) that
/// `assets/search.js` injects on first use: a `<script>` loads from a folder opened offline too
/// (a browser will not `fetch` JSON from `file://`), and pages that are only read never load it.
///
/// The index is the readable text of every page, whole, cut into sections at its `##`/`###`
/// headings: `[[title, url, [[anchor, heading, text], …]], …]`. The first section (anchor `""`)
/// is the text before the first heading. Text comes from the rendered HTML, so a formula is
/// the text of its MathML (`L = − ∑ y log p`), never its TeX; plots, code listings, buttons and KaTeX's visual copy
/// are left out. Words, bigrams and ranking are the browser's job (`search.js`), so the index
/// stays plain text and small.
enum SearchIndex {
    /// Where a language's index is written, from the site root.
    static func path(language: String) -> String { "\(language)/search-index.js" }

    /// - Parameter session: `serve`'s session, which keeps the entries of pages whose HTML is unchanged.
    static func script(for pages: [RenderedPage], session: BuildSession? = nil) -> String {
        // Each page's entry is serialised on its own (concurrently) and the entries joined: the
        // same bytes as serialising the whole array, and an unchanged page's entry is reused.
        let entries = ConcurrentResults<String>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: pages.count) { index in
            let page = pages[index]
            let make = { entry(page) }
            let key = page.identity.map { "\($0)\u{1}\(page.title)\u{1}\(page.source.outputPath)" }
            entries.set(index, key.flatMap { key in session?.memo(BuildSession.searchPrefix + page.source.outputPath, key: key, make) } ?? make())
        }
        return "window.LOSSBOOK_SEARCH = [" + (0..<pages.count).map { entries[$0]! }.joined(separator: ",") + "];\n"
    }

    /// One page's entry, `[title, url, [[anchor, heading, text], …]]`, as JSON.
    static func entry(_ page: RenderedPage) -> String {
        let sections = self.sections(page.html).map { [$0.anchor, $0.heading, $0.text] }
        let entry: [Any] = [page.title, page.source.outputPath, sections]
        let data = (try? JSONSerialization.data(withJSONObject: entry, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    struct Section: Equatable {
        var anchor = ""
        var heading = ""
        var text = ""
    }

    /// Elements whose content is not read: plots, code listings (inline code stays), scripts, buttons,
    /// KaTeX's TeX annotation.
    private static let skipped: Set<String> = ["svg", "script", "style", "button", "annotation", "template", "pre"]
    /// Elements that separate words.
    private static let breaking: Set<String> = ["p", "li", "td", "th", "tr", "div", "br", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                                                 "blockquote", "figcaption", "figure", "table", "dt", "dd", "section", "ul", "ol",
                                                 // MathML: operators and the ends of scripts and fractions read as word breaks.
                                                 "mo", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mfrac", "msqrt"]

    /// The readable text of a rendered page, section by section.
    static func sections(_ html: String) -> [Section] {
        var sections = [Section()]
        let chars = Array(html.unicodeScalars)
        var i = 0
        var text = String.UnicodeScalarView()
        var headingLevel: String?
        var headingText = String.UnicodeScalarView()

        func flush() {
            let collapsed = collapse(String(text))
            if !collapsed.isEmpty { sections[sections.count - 1].text += (sections[sections.count - 1].text.isEmpty ? "" : " ") + collapsed }
            text.removeAll()
        }
        func append(_ scalar: Unicode.Scalar) {
            if headingLevel != nil { headingText.append(scalar) } else { text.append(scalar) }
        }

        while i < chars.count {
            let c = chars[i]
            if c == "&" {
                let (decoded, length) = entity(chars, i)
                decoded.unicodeScalars.forEach(append)
                i += length
                continue
            }
            guard c == "<" else {
                // Function application and invisible times (MathML) read as a space and nothing.
                if c == "\u{2061}" { append(" ") } else if c != "\u{2062}" { append(c) }
                i += 1
                continue
            }
            if hasPrefix(chars, i, "<!--") {
                i = find(chars, "-->", from: i).map { $0 + 3 } ?? chars.count
                continue
            }
            let (name, closing, attributes, end) = tag(chars, i)
            i = end
            if !closing, skipped.contains(name) || (name == "span" && attributes.contains("katex-html")) {
                i = skipElement(chars, name: name, from: i)
                continue
            }
            if name == "h2" || name == "h3" {
                if !closing, let id = attribute("id", in: attributes) {
                    flush()
                    sections.append(Section(anchor: id))
                    headingLevel = name
                    headingText.removeAll()
                    continue
                }
                if closing, headingLevel == name {
                    sections[sections.count - 1].heading = collapse(String(headingText))
                    headingLevel = nil
                    continue
                }
            }
            if breaking.contains(name) { append(" ") }
        }
        flush()
        return sections.filter { !$0.text.isEmpty || !$0.heading.isEmpty }
    }

    /// Runs of white space as one space, none at the ends. By scalar, ASCII first: splitting by
    /// `Character` (grapheme clusters) was the index's largest cost.
    private static func collapse(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            let value = scalar.value
            let white = value < 0x80 ? (value == 0x20 || (value >= 0x09 && value <= 0x0D)) : scalar.properties.isWhitespace
            if white {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func hasPrefix(_ chars: [Unicode.Scalar], _ at: Int, _ prefix: String) -> Bool {
        var j = at
        for p in prefix.unicodeScalars {
            guard j < chars.count, chars[j] == p else { return false }
            j += 1
        }
        return true
    }

    private static func find(_ chars: [Unicode.Scalar], _ needle: String, from: Int) -> Int? {
        var j = from
        while j < chars.count {
            if hasPrefix(chars, j, needle) { return j }
            j += 1
        }
        return nil
    }

    /// A tag at `at` (`<`): its lowercased name, whether it closes, its attribute text and where it ends.
    private static func tag(_ chars: [Unicode.Scalar], _ at: Int) -> (String, Bool, String, Int) {
        let tag = scanTag(chars, at)
        return (tag.name, tag.closing, String(String.UnicodeScalarView(chars[tag.attributes])), tag.end)
    }

    /// A tag's parts without copying its attributes: lowercased name, whether it closes, where its
    /// attributes are, whether it ends in `/>`, and where it ends. Tag names are ASCII, so no
    /// Unicode property lookups (they were most of the search index's time).
    private static func scanTag(_ chars: [Unicode.Scalar], _ at: Int) -> (name: String, closing: Bool, attributes: Range<Int>, selfClosing: Bool, end: Int) {
        var j = at + 1
        let closing = j < chars.count && chars[j] == "/"
        if closing { j += 1 }
        var name = String.UnicodeScalarView()
        while j < chars.count {
            let value = chars[j].value
            if value >= 0x41, value <= 0x5A { name.append(Unicode.Scalar(value + 0x20)!) }
            else if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) { name.append(chars[j]) }
            else { break }
            j += 1
        }
        let attributes = j
        var quote: Unicode.Scalar?
        var last: Unicode.Scalar = " "
        while j < chars.count {
            let c = chars[j]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == ">" { break }
            last = c
            j += 1
        }
        return (String(name), closing, attributes..<j, last == "/", min(j + 1, chars.count))
    }

    /// Past the end of the element whose start tag ended at `from`, counting nested ones of the same name.
    private static func skipElement(_ chars: [Unicode.Scalar], name: String, from: Int) -> Int {
        var depth = 1
        var j = from
        while j < chars.count, depth > 0 {
            if chars[j] == "<" {
                let (other, closing, _, selfClosing, end) = scanTag(chars, j)
                if other == name, !selfClosing { depth += closing ? -1 : 1 }
                j = end
            } else {
                j += 1
            }
        }
        return j
    }

    private static func attribute(_ name: String, in attributes: String) -> String? {
        guard let range = attributes.range(of: " \(name)=\"") else { return nil }
        let rest = attributes[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// A character reference at `at` (`&`) and its length; a lone `&` is itself.
    private static func entity(_ chars: [Unicode.Scalar], _ at: Int) -> (String, Int) {
        var j = at + 1
        var body = ""
        while j < chars.count, j - at < 12, chars[j] != ";" { body.unicodeScalars.append(chars[j]); j += 1 }
        guard j < chars.count, chars[j] == ";" else { return ("&", 1) }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "#39": "'"]
        if let value = named[body] { return (value, j - at + 1) }
        if body.hasPrefix("#x") || body.hasPrefix("#X"), let code = UInt32(body.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
            return (String(scalar), j - at + 1)
        }
        if body.hasPrefix("#"), let code = UInt32(body.dropFirst()), let scalar = Unicode.Scalar(code) { return (String(scalar), j - at + 1) }
        return ("&", 1)
    }
}
