import Foundation

/// The site's search index, one per language, as a script (`<lang>/search-index.js`) that
/// `assets/search.js` injects on first use: a `<script>` loads from a folder opened offline too
/// (a browser will not `fetch` JSON from `file://`), and pages that are only read never load it.
///
/// The index is the readable text of every page, whole, cut into sections at its `##`/`###`
/// headings: `[[title, url, [[anchor, heading, text, captions?], …]], …]`. The first section
/// (anchor `""`) is the text before the first heading. Captions — figure and table captions and
/// the generated "✓ verified" notes, text repeated from page to page — are kept apart from the
/// prose (a fourth element, only when a section has any), so the search can weigh them little.
/// Text comes from the rendered HTML, so a formula is
/// the text of its MathML (`L = − ∑ y log p`), never its TeX; plots, code listings, buttons and KaTeX's visual copy
/// are left out. Words, bigrams and ranking are the browser's job (`search.js`), so the index
/// stays plain text and small.
enum SearchIndex {
    /// Where a language's index is written, from the site root.
    static func path(language: String) -> String { "\(language)/search-index.js" }

    /// - Parameter session: `serve`'s session, which keeps the entries of pages whose HTML is unchanged.
    static func script(for pages: [RenderedPage], session: BuildSession? = nil) -> [UInt8] {
        // Each page's entry is serialised on its own (concurrently) and the entries joined: the
        // same bytes as serialising the whole array, and an unchanged page's entry is reused.
        let entries = ConcurrentResults<[UInt8]>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: pages.count) { index in
            let page = pages[index]
            let make = { entry(page) }
            let key = page.identity.map { "\($0)\u{1}\(page.title)\u{1}\(page.source.outputPath)" }
            entries.set(index, key.flatMap { key in session?.memo(BuildSession.searchPrefix + page.source.outputPath, key: key, make) } ?? make())
        }
        // The entries' bytes are copied once, into an array of the final size, each piece by
        // `memcpy` (copied as a sequence, byte by byte, the 4 MB of a language's entries at 2,000
        // pages per language took 38 M instructions of a prose edit's 1.5 G). Bytes, not a string:
        // every entry is valid UTF-8 already (``PageFile/init(utf8:)``).
        let parts = (0..<pages.count).map { entries[$0]! }
        let open = Array("window.LOSSBOOK_SEARCH = [".utf8), close = Array("];\n".utf8)
        let size = open.count + parts.reduce(0) { $0 + $1.count } + max(0, parts.count - 1) + close.count
        var script: [UInt8] = []
        script.reserveCapacity(size)
        script += open
        for (index, part) in parts.enumerated() {
            if index > 0 { script.append(UInt8(ascii: ",")) }
            script += part
        }
        script += close
        return script
    }

    /// One page's entry, `[title, url, [[anchor, heading, text, captions?], …]]`, as JSON in UTF-8.
    /// Written byte by byte (the bytes `JSONSerialization` with `.withoutEscapingSlashes` writes,
    /// without boxing a big page's text in Foundation objects).
    static func entry(_ page: RenderedPage) -> [UInt8] {
        var json: [UInt8] = [UInt8(ascii: "[")]
        appendJSON(page.title, to: &json)
        json.append(UInt8(ascii: ","))
        appendJSON(URLPath.encode(page.source.outputPath), to: &json)
        json.append(contentsOf: ",[".utf8)
        let sections = scannedSections(page.html)
        // Made at about its final size (the text, its escapes aside): not grown by doubling, a big page's text copied each time.
        json.reserveCapacity(json.count + sections.reduce(0) { $0 + $1.text.bytes.count + $1.captions.bytes.count + $1.heading.utf8.count + 64 })
        for (index, section) in sections.enumerated() {
            json.append(contentsOf: (index == 0 ? "[" : ",[").utf8)
            appendJSON(section.anchor, to: &json)
            json.append(UInt8(ascii: ","))
            appendJSON(section.heading, to: &json)
            json.append(UInt8(ascii: ","))
            section.text.bytes.withUnsafeBufferPointer { appendJSON($0, to: &json) }
            if !section.captions.bytes.isEmpty {
                json.append(UInt8(ascii: ","))
                section.captions.bytes.withUnsafeBufferPointer { appendJSON($0, to: &json) }
            }
            json.append(UInt8(ascii: "]"))
        }
        json.append(contentsOf: "]]".utf8)
        return json
    }

    /// A JSON string literal, escaped as Foundation's `JSONSerialization` escapes it with
    /// `.withoutEscapingSlashes`: `\"` and `\\` for `"` and `\`, the short forms `\b \f \n \r \t`, other control
    /// characters as `\u00xx` (lower-case hex); everything else, `/` and non-ASCII included, as is.
    /// UTF-8 bytes of non-ASCII characters are all 0x80 or above, so a byte scan sees the same.
    static func appendJSON(_ string: String, to json: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendJSON($0, to: &json) }
    }

    /// ``appendJSON(_:to:)`` of valid UTF-8 bytes.
    static func appendJSON(_ bytes: UnsafeBufferPointer<UInt8>, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        var run = 0 // start of the bytes not yet copied
        var i = 0
        while i < bytes.count {
            // Eight bytes at once while none is to be escaped (a big page's text is 50 MB of them).
            if i + 8 <= bytes.count, !mayNeedEscaping(UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let byte = bytes[i]
            i += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            json.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<(i - 1)]))
            run = i
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): json.append(contentsOf: #"\\"#.utf8)
            case 0x08: json.append(contentsOf: #"\b"#.utf8)
            case 0x0C: json.append(contentsOf: #"\f"#.utf8)
            case 0x0A: json.append(contentsOf: #"\n"#.utf8)
            case 0x0D: json.append(contentsOf: #"\r"#.utf8)
            case 0x09: json.append(contentsOf: #"\t"#.utf8)
            default:
                let hex = Array("0123456789abcdef".utf8)
                json.append(contentsOf: #"\u00"#.utf8)
                json.append(hex[Int(byte >> 4)])
                json.append(hex[Int(byte & 0xF)])
            }
        }
        json.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        json.append(UInt8(ascii: "\""))
    }

    /// Whether one of eight bytes is below 0x20, `"` or `\\`: a byte below `n` (n ≤ 0x80) sets
    /// its top bit in `(w - n·0x0101…) & ~w & 0x8080…`, a byte equal to `c` is a zero byte of `w ^ c·0x0101…`.
    /// Exact as to whether there is one (only which one it marks may be wrong, and it is not used).
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\""))), backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let below = (word &- ones &* 0x20) & ~word
        return (below | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & high != 0
    }

    struct Section: Equatable {
        var anchor = ""
        var heading = ""
        var text = ""
        var captions = ""
    }

    /// A tag's name, lower-cased, packed into two words: compared like two integers, never built as
    /// a string, once for every tag of the page (SVG plots and KaTeX's markup are most of a page's
    /// tags). Names are ASCII letters and digits; the sets below hold names of at most 16 bytes, and
    /// every longer name is the same `long`, equal to none of them.
    struct TagName: Equatable {
        private var low: UInt64 = 0
        private var high: UInt64 = 0

        static let long = TagName(low: .max, high: .max)

        private init(low: UInt64, high: UInt64) { self.low = low; self.high = high }

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count <= 16 else { self = .long; return }
            var k = 0
            while k < bytes.count {
                // Only A–Z are lower-cased (`lowercased()` of an ASCII name).
                let byte = bytes[k]
                let lower = UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) &<< UInt64(8 * (k & 7))
                if k < 8 { low |= lower } else { high |= lower }
                k += 1
            }
        }

        init(_ literal: StaticString) {
            self.init(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }

        /// A slot of ``TagClasses``' table: the top bits of a multiplicative hash of both words.
        var slot: Int { Int(truncatingIfNeeded: ((low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9) >> 57) }
    }

    /// Which of the sets below a tag name is in, found with one hash and a probe or two: every tag
    /// of a page is classified (its MathML is read tag by tag), and comparing a name with each
    /// name of the sets in turn was a sixth of the scan.
    struct TagClasses {
        static let skipped: UInt8 = 1, caption: UInt8 = 2, breaking: UInt8 = 4
        private var names = [TagName](repeating: .long, count: 128)
        private var classes = [UInt8](repeating: 0, count: 128)

        init(skipped: [TagName], captions: [TagName], breaking: [TagName]) {
            for (set, flag) in [(skipped, Self.skipped), (captions, Self.caption), (breaking, Self.breaking)] {
                for name in set {
                    var k = name.slot
                    while classes[k] != 0, names[k] != name { k = (k + 1) & 127 }
                    names[k] = name
                    classes[k] |= flag
                }
            }
        }

        /// The classes of `name` (0: none of the sets).
        func of(_ name: TagName) -> UInt8 {
            var k = name.slot
            while classes[k] != 0 {
                if names[k] == name { return classes[k] }
                k = (k + 1) & 127
            }
            return 0
        }
    }

    private static let span = TagName("span"), details = TagName("details"), h2 = TagName("h2"), h3 = TagName("h3")

    /// Elements whose content is not read: plots, code listings (inline code stays), scripts, buttons,
    /// KaTeX's TeX annotation.
    private static let skipped: [TagName] = ["svg", "script", "style", "button", "annotation", "template", "pre"].map(TagName.init)

    /// Elements whose text is a caption: figure and table captions (`details.verified`, the generated
    /// check notes, is one too).
    private static let captions: [TagName] = ["figcaption", "caption"].map(TagName.init)

    private static let classes = TagClasses(skipped: skipped, captions: captions, breaking: breaking)

    /// Elements that separate words.
    private static let breaking: [TagName] = [
        "p", "li", "td", "th", "tr", "div", "br", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "figcaption", "figure", "table", "dt", "dd", "section", "ul", "ol",
        // MathML: operators and the ends of scripts and fractions read as word breaks.
        "mo", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mfrac", "msqrt",
    ].map(TagName.init)

    /// The readable text of a rendered page, section by section. Read byte by byte in UTF-8 (tags,
    /// entities and the characters it acts on are ASCII or fixed sequences), so the page is never
    /// copied as 4-byte scalars and no text is built scalar by scalar.
    static func sections(_ html: String) -> [Section] {
        scannedSections(html).map {
            Section(anchor: $0.anchor, heading: $0.heading,
                    text: String(decoding: $0.text.bytes, as: UTF8.self), captions: String(decoding: $0.captions.bytes, as: UTF8.self))
        }
    }

    /// A section as the scan writes it: its text and captions as UTF-8 bytes, collapsed as they are
    /// read, which ``entry(_:)`` escapes into the JSON without making strings of them.
    struct ScannedSection {
        var anchor = ""
        var heading = ""
        var text = CollapsedText()
        var captions = CollapsedText()
    }

    /// - Parameters:
    ///   - formulaCopies: where KaTeX's visual copies stand (``formulaCopies(in:)``):
    ///     each is jumped over when the scan reaches it, instead of read tag by tag to its end.
    ///   - formulas: where the typeset formulas stand (``TypesetHTML/placedFormulas``): a distinct
    ///     formula's text is read once, from its HTML alone, and added wherever the scan reaches one
    ///     like it (a big note's page repeats its formulas thousands of times). A formula whose
    ///     reading could depend on the page around it (a tag, comment or character reference left
    ///     open at its end, a heading or caption tag inside) is read in place every time.
    static func scannedSections(_ html: String, formulaCopies: [Range<Int>] = [], formulas: [PlacedFormula] = []) -> [ScannedSection] {
        var html = html
        return html.withUTF8 { TextScanner(bytes: $0, copies: formulaCopies, formulas: formulas).scan() }!
    }

    /// A typeset page's sections, read from its text (``TypesetHTML``) with each shared formula's
    /// text, read once from its HTML alone, added at its places: the page is not joined to be read.
    /// It is (each shared formula still read once, its visual copy jumped over) when the text alone
    /// could read differently: a shared formula whose reading depends on the page around it, or
    /// a formula's place the scan passes inside a tag, comment, skipped element or character
    /// reference instead of reaching it.
    static func scannedSections(_ html: TypesetHTML) -> [ScannedSection] {
        textSections(html) ?? scannedSections(html.joined, formulaCopies: formulaCopies(in: html), formulas: html.placedFormulas)
    }

    /// ``scannedSections(_:)-(TypesetHTML)`` read from the page's text alone; nil where it could
    /// read differently from the joined page.
    static func textSections(_ html: TypesetHTML) -> [ScannedSection]? {
        var shared = html.shared
        // Each formula's text as the render cache found it (``FormulaFacts``), else read here.
        let texts = shared.withUTF8 { bytes in
            html.formulas.indices.map { index in
                html.formulaFacts[index].map(\.text) ?? TextScanner(bytes: UnsafeBufferPointer(rebasing: bytes[html.formulas[index]]), copies: []).scanAlone()
            }
        }
        guard !texts.contains(where: { $0 == nil }) else { return nil }
        let placed = html.placements.map { (at: $0.at, text: texts[$0.formula]!) }
        return html.withTextCString { TextScanner(bytes: $0, copies: [], placed: placed).scan() }
    }

    /// What one formula's HTML adds to a page's search text wherever a scan of the page reaches
    /// its first byte: its text read alone; nil when it is not self-contained (a tag or element
    /// left open at its end), and the page must be read whole.
    static func formulaText(_ html: String) -> CollapsedText? {
        var html = html
        return html.withUTF8 { TextScanner(bytes: $0, copies: []).scanAlone() }
    }

    /// Where each shared formula's visual copy stands in the joined page (``visualCopy(in:)``, found once a formula).
    static func formulaCopies(in html: TypesetHTML) -> [Range<Int>] {
        let copy = html.formulas.indices.map { visualCopy(in: html.formula($0)) }
        return html.placedFormulas.compactMap { formula in
            copy[formula.kind].map { (formula.range.lowerBound + $0.lowerBound)..<(formula.range.lowerBound + $0.upperBound) }
        }
    }

    /// Where the element that ``scannedSections(_:formulaCopies:formulas:)`` skips as a formula's visual copy
    /// (the first `<span class="katex-html"…>`) stands in one formula's HTML, from its `<` to past its
    /// end tag, when it ends inside it. Found as the scan would find its end, so that in a page
    /// holding this HTML the scan, at that `<`, may jump to the same place without reading it.
    static func visualCopy(in html: String) -> Range<Int>? {
        var html = html
        return html.withUTF8 { bytes -> Range<Int>? in
            guard let start = bytes.firstOffset(of: "<span class=\"katex-html\"") else { return nil }
            let tag = scanTag(bytes, start)
            guard !tag.closing, tag.name == span, UnsafeBufferPointer(rebasing: bytes[tag.attributes]).firstOffset(of: "katex-html") != nil,
                  tag.end < bytes.count else { return nil }
            let end = skipElement(bytes, name: span, from: tag.end)
            // Ended before the formula's last byte: no tag ran off its end (an unclosed element or
            // quoted value runs to the end of the bytes), so the page's bytes after it changed nothing.
            return end < bytes.count ? start..<end : nil
        }
    }

    private struct TextScanner {
        let bytes: UnsafeBufferPointer<UInt8>
        /// The formulas' visual copies not yet passed.
        let copies: [Range<Int>]
        private var nextCopy = 0
        /// The typeset formulas not yet passed, and the text of each distinct one once read.
        let formulas: [PlacedFormula]
        private var nextFormula = 0
        private var formulaTexts: [FormulaText] = []
        /// Where a shared formula goes in these bytes (``TypesetHTML``), in order, with its text.
        let placed: [(at: Int, text: CollapsedText)]
        private var nextPlaced = 0
        /// The scan jumped over a formula's place (inside a tag, comment, skipped element or character
        /// reference): what the page reads there is not known from these bytes alone.
        private var jumpedPlace = false
        /// Nothing read so far depends on bytes after the last one, nor changed the section,
        /// heading or caption the text goes to: the text of these bytes, read alone, is what they
        /// add to a page at any place the scan reaches their first byte.
        private(set) var selfContained = true
        private var sections = [ScannedSection()]
        private var headingLevel: TagName?
        private var headingText = CollapsedText()
        /// The caption element being read (its name and how deep it nests in itself).
        private var caption: (name: TagName, depth: Int)?

        init(bytes: UnsafeBufferPointer<UInt8>, copies: [Range<Int>], formulas: [PlacedFormula] = [],
             placed: [(at: Int, text: CollapsedText)] = []) {
            self.bytes = bytes
            self.copies = copies
            self.formulas = formulas
            self.placed = placed
        }

        /// A distinct formula's text: not read yet, read in place (not self-contained), or read.
        private enum FormulaText {
            case unread, inPlace, read(CollapsedText)
        }

        /// Where the formula that starts at `start` ends, its text added, if one was recorded there
        /// and its text can be added without reading it here.
        private mutating func recordedFormula(at start: Int) -> Int? {
            while nextFormula < formulas.count, formulas[nextFormula].range.lowerBound < start { nextFormula += 1 }
            guard nextFormula < formulas.count, formulas[nextFormula].range.lowerBound == start else { return nil }
            let formula = formulas[nextFormula]
            if formulaTexts.count <= formula.kind { formulaTexts += Array(repeating: .unread, count: formula.kind + 1 - formulaTexts.count) }
            if case .unread = formulaTexts[formula.kind] {
                let alone = TextScanner(bytes: UnsafeBufferPointer(rebasing: bytes[formula.range]), copies: []).scanAlone()
                formulaTexts[formula.kind] = alone.map { FormulaText.read($0) } ?? .inPlace
            }
            guard case let .read(text) = formulaTexts[formula.kind] else { return nil }
            append(text)
            return formula.range.upperBound
        }

        /// A formula's text, read alone: to the open heading, else the open caption, else the section's prose.
        private mutating func append(_ text: CollapsedText) {
            if headingLevel != nil { headingText.append(text) }
            else if caption != nil { sections[sections.count - 1].captions.append(text) }
            else { sections[sections.count - 1].text.append(text) }
        }

        /// The text of these bytes when they are self-contained (see ``selfContained``), else nil.
        consuming func scanAlone() -> CollapsedText? {
            let sections = read()
            return selfContained && sections.count == 1 ? sections[0].text : nil
        }

        /// The page's sections, those with nothing in them left out; nil if the scan jumped over a
        /// formula's place.
        consuming func scan() -> [ScannedSection]? {
            let sections = read()
            return jumpedPlace ? nil : sections.filter { !$0.text.bytes.isEmpty || !$0.heading.isEmpty || !$0.captions.bytes.isEmpty }
        }

        /// Where the visual copy that starts at `start` ends, if one was recorded there.
        private mutating func recordedCopy(at start: Int) -> Int? {
            while nextCopy < copies.count, copies[nextCopy].lowerBound < start { nextCopy += 1 }
            guard nextCopy < copies.count, copies[nextCopy].lowerBound == start else { return nil }
            return copies[nextCopy].upperBound
        }

        private mutating func read() -> [ScannedSection] {
            var i = 0
            let count = bytes.count
            while true {
                // A shared formula's place reached: its text, as the page's scan reaches its first `<`.
                if nextPlaced < placed.count, placed[nextPlaced].at == i {
                    append(placed[nextPlaced].text)
                    nextPlaced += 1
                    continue
                }
                guard i < count else { break }
                // Where the next place is: a run of text stops there, and nothing may jump over it.
                let place = nextPlaced < placed.count ? placed[nextPlaced].at : count
                if jumpedPlace { break }
                let c = bytes[i]
                if c == UInt8(ascii: "&") {
                    var (decoded, length) = SearchIndex.entity(bytes, i)
                    // A lone `&` near the end might have been a reference with the bytes after these.
                    if length == 1, count - i <= 12 { selfContained = false }
                    decoded.withUTF8 { append($0) }
                    i += length
                    if i > place { jumpedPlace = true }
                    continue
                }
                guard c == UInt8(ascii: "<") else {
                    // Function application (U+2061) reads as a space, invisible times (U+2062) as nothing (MathML).
                    if c == 0xE2, i + 2 < count, bytes[i + 1] == 0x81, bytes[i + 2] == 0xA1 || bytes[i + 2] == 0xA2 {
                        if bytes[i + 2] == 0xA1 { breakWord() }
                        i += 3
                        continue
                    }
                    // A run of ordinary bytes at once.
                    var j = i + 1
                    while j < place, bytes[j] != UInt8(ascii: "<"), bytes[j] != UInt8(ascii: "&"), bytes[j] != 0xE2 { j += 1 }
                    append(UnsafeBufferPointer(rebasing: bytes[i..<j]))
                    i = j
                    continue
                }
                if let end = recordedFormula(at: i) {
                    i = end
                    continue
                }
                if bytes.hasPrefix("<!--", at: i) {
                    let close = bytes.firstOffset(of: "-->", from: i)
                    if close == nil { ranOffTheEnd() }
                    i = close.map { $0 + 3 } ?? count
                    if i > place { jumpedPlace = true }
                    continue
                }
                let tag = SearchIndex.scanTag(bytes, i)
                let start = i
                i = tag.end
                if i > place { jumpedPlace = true }
                // No `>` (or a quote left open): where the tag ends depends on the bytes after these.
                if tag.attributes.upperBound >= count { ranOffTheEnd() }
                let name = tag.name
                if !tag.closing, name == SearchIndex.span, contains("katex-html", in: tag.attributes) {
                    i = recordedCopy(at: start) ?? skipElement(name, from: i)
                    if i > place { jumpedPlace = true }
                    continue
                }
                let classes = SearchIndex.classes.of(name)
                if !tag.closing, classes & TagClasses.skipped != 0 {
                    i = skipElement(name, from: i)
                    if i > place { jumpedPlace = true }
                    continue
                }
                if classes & TagClasses.caption != 0 || name == SearchIndex.details || name == SearchIndex.h2 || name == SearchIndex.h3 {
                    selfContained = false
                }
                let last = sections.count - 1
                // A caption begins and ends at a word break on both sides: its words and the prose's never join.
                if var open = caption, name == open.name, !tag.selfClosing {
                    open.depth += tag.closing ? -1 : 1
                    caption = open.depth > 0 ? open : nil
                    if caption == nil { sections[last].captions.breakWord(); sections[last].text.breakWord() }
                } else if caption == nil, !tag.closing, !tag.selfClosing,
                          classes & TagClasses.caption != 0 || (name == SearchIndex.details && contains("verified", in: tag.attributes)) {
                    caption = (name, 1)
                    sections[last].captions.breakWord()
                    sections[last].text.breakWord()
                }
                if name == SearchIndex.h2 || name == SearchIndex.h3 {
                    if !tag.closing, let id = idAttribute(in: tag.attributes) {
                        sections.append(ScannedSection(anchor: id))
                        headingLevel = name
                        headingText = CollapsedText()
                        continue
                    }
                    if tag.closing, headingLevel == name {
                        sections[last].heading = String(decoding: headingText.bytes, as: UTF8.self)
                        headingLevel = nil
                        continue
                    }
                }
                if classes & TagClasses.breaking != 0 { breakWord() }
            }
            return sections
        }

        /// A tag, comment or element left open ran to the end of these bytes: its end depends on
        /// the bytes after them, and it passed every formula's place still ahead.
        private mutating func ranOffTheEnd() {
            selfContained = false
            if nextPlaced < placed.count { jumpedPlace = true }
        }

        /// ``SearchIndex/skipElement(_:name:from:)``, noting an element left open at the end.
        private mutating func skipElement(_ name: TagName, from: Int) -> Int {
            let end = SearchIndex.skipElement(bytes, name: name, from: from)
            if end >= bytes.count { ranOffTheEnd() }
            return end
        }

        /// Whether `needle` occurs in a tag's attributes (searched in place, never copied to a string).
        private func contains(_ needle: StaticString, in range: Range<Int>) -> Bool {
            UnsafeBufferPointer(rebasing: bytes[range]).firstOffset(of: needle) != nil
        }

        /// The value of a tag's first ` id="…"`.
        private func idAttribute(in range: Range<Int>) -> String? {
            let attributes = UnsafeBufferPointer(rebasing: bytes[range])
            guard let at = attributes.firstOffset(of: " id=\"") else { return nil }
            guard let end = attributes.firstOffset(of: "\"", from: at + 5) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: attributes[(at + 5)..<end]), as: UTF8.self)
        }

        /// Text read goes to the open heading, else the open caption, else the section's prose.
        private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
            let last = sections.count - 1
            if headingLevel != nil { headingText.append(run) }
            else if caption != nil { sections[last].captions.append(run) }
            else { sections[last].text.append(run) }
        }

        private mutating func breakWord() {
            let last = sections.count - 1
            if headingLevel != nil { headingText.breakWord() }
            else if caption != nil { sections[last].captions.breakWord() }
            else { sections[last].text.breakWord() }
        }
    }

    /// Text whose runs of white space are one space, none at the ends, collapsed as it is appended
    /// (the page's text is not gathered first and copied collapsed). ASCII bytes are judged directly;
    /// a non-ASCII character is decoded only to ask Unicode whether it is white space (U+00A0, …).
    /// Appended runs hold whole characters.
    struct CollapsedText: Sendable, Equatable {
        private(set) var bytes: [UInt8] = []
        /// White space was read since the last character kept: a space goes before the next one.
        private(set) var pendingSpace = false
        /// White space was read before the first character kept (and dropped there): another text
        /// this one is appended to keeps it.
        private(set) var spaceBeforeText = false

        init() {}

        /// A text as ``FormulaFacts`` keep it.
        init(bytes: [UInt8], pendingSpace: Bool, spaceBeforeText: Bool) {
            self.bytes = bytes
            self.pendingSpace = pendingSpace
            self.spaceBeforeText = spaceBeforeText
        }

        /// A word break: white space.
        mutating func breakWord() { pendingSpace = true }

        mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) {
            var i = 0
            while i < utf8.count {
                let lead = utf8[i]
                // Most bytes are ASCII and not white: a run of them appended at once, with the
                // single spaces between them (collapsed, each is itself): a sentence, not a word, a call.
                if lead > 0x20, lead < 0x80 {
                    if pendingSpace { space() }
                    var j = i + 1
                    while j < utf8.count {
                        let byte = utf8[j]
                        if byte > 0x20, byte < 0x80 {
                            j += 1
                        } else if byte == 0x20, j + 1 < utf8.count, utf8[j + 1] > 0x20, utf8[j + 1] < 0x80 {
                            j += 2
                        } else {
                            break
                        }
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[i..<j]))
                    i = j
                    continue
                }
                let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                let end = min(i + length, utf8.count)
                let white: Bool
                if lead < 0x80 {
                    white = lead == 0x20 || (lead >= 0x09 && lead <= 0x0D)
                } else if lead >= 0xE3 {
                    // U+3000 and above (CJK text, its punctuation, emoji): the ideographic space is
                    // the only white space there, so these are not decoded to ask Unicode.
                    white = lead == 0xE3 && end - i == 3 && utf8[i + 1] == 0x80 && utf8[i + 2] == 0x80
                } else if lead < 0xE0 {
                    // U+0080–U+07FF (Latin, Greek: MathML's letters): U+0085 and U+00A0 are its only white space.
                    white = lead == 0xC2 && end - i == 2 && (utf8[i + 1] == 0x85 || utf8[i + 1] == 0xA0)
                } else {
                    white = SearchIndex.decodedScalar(utf8, i, end)?.properties.isWhitespace ?? false
                }
                if white {
                    pendingSpace = true
                } else {
                    if pendingSpace { space() }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[i..<end]))
                }
                i = end
            }
        }

        private mutating func space() {
            if bytes.isEmpty { spaceBeforeText = true } else { bytes.append(UInt8(ascii: " ")) }
            pendingSpace = false
        }

        /// Appends another collapsed text as if its runs and word breaks were appended here one by
        /// one: a word break before its first character and after its last one are kept, the rest
        /// is already collapsed.
        mutating func append(_ other: CollapsedText) {
            if other.spaceBeforeText || (other.bytes.isEmpty && other.pendingSpace) { pendingSpace = true }
            guard !other.bytes.isEmpty else { return }
            if pendingSpace { space() }
            bytes.append(contentsOf: other.bytes)
            pendingSpace = other.pendingSpace
        }
    }

    /// The scalar whose (valid) UTF-8 bytes are `utf8[start..<end]`, decoded in place.
    private static func decodedScalar(_ utf8: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Unicode.Scalar? {
        guard end - start >= 2 else { return nil }
        var value = UInt32(utf8[start]) & (end - start == 2 ? 0x1F : end - start == 3 ? 0x0F : 0x07)
        for k in (start + 1)..<end { value = value << 6 | UInt32(utf8[k] & 0x3F) }
        return Unicode.Scalar(value)
    }

    /// A tag's parts without copying its attributes: lowercased name, whether it closes, where its
    /// attributes are, whether it ends in `/>`, and where it ends. Tag names are ASCII.
    private static func scanTag(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> (name: TagName, closing: Bool, attributes: Range<Int>, selfClosing: Bool, end: Int) {
        let closing = at + 1 < bytes.count && bytes[at + 1] == UInt8(ascii: "/")
        let (name, nameEnd) = tagName(bytes, at)
        let (attributesEnd, selfClosing, end) = tagEnd(bytes, from: nameEnd)
        return (name, closing, nameEnd..<attributesEnd, selfClosing, end)
    }

    /// The rest of a tag whose name ends at `from`: where its attributes end (its `>`), whether it
    /// ends in `/>`, and where it ends. A quoted `>` does not end it: a quoted value is jumped over
    /// with `memchr` (KaTeX's `class` and `style` values are most of its tags' bytes).
    private static func tagEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> (attributesEnd: Int, selfClosing: Bool, end: Int) {
        var j = from
        var last = UInt8(ascii: " ")
        while j < bytes.count {
            let c = bytes[j]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                // An unclosed value runs to the end of the page, whose last byte is then the tag's last.
                guard let close = bytes.firstIndex(of: c, from: j + 1) else { return (bytes.count, bytes[bytes.count - 1] == UInt8(ascii: "/"), bytes.count) }
                last = c
                j = close + 1
                continue
            }
            if c == UInt8(ascii: ">") { break }
            last = c
            j += 1
        }
        return (j, last == UInt8(ascii: "/"), min(j + 1, bytes.count))
    }

    /// Past the end of the element whose start tag ended at `from`, counting nested ones of the same name.
    private static func skipElement(_ bytes: UnsafeBufferPointer<UInt8>, name: TagName, from: Int) -> Int {
        var depth = 1
        var j = from
        // Text between tags is passed over with `memchr`; of another element's tag only the name
        // is read (the page's attribute values escape `<`, so none holds a tag).
        while depth > 0, let open = bytes.firstIndex(of: UInt8(ascii: "<"), from: j) {
            let (other, nameEnd) = tagName(bytes, open)
            guard other == name else { j = nameEnd; continue }
            // The name is read once: only the tag's end is still to find (most of a formula's
            // tags are the `span`s a skipped `katex-html` span nests).
            let (_, selfClosing, end) = tagEnd(bytes, from: nameEnd)
            if !selfClosing { depth += bytes[open + 1] == UInt8(ascii: "/") ? -1 : 1 }
            j = end
        }
        return depth > 0 ? bytes.count : j
    }

    /// The name of the tag at `at` (`<` or `</` then ASCII letters and digits) and where it ends.
    private static func tagName(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> (name: TagName, end: Int) {
        var j = at + 1
        if j < bytes.count, bytes[j] == UInt8(ascii: "/") { j += 1 }
        let nameStart = j
        while j < bytes.count {
            let value = bytes[j]
            guard (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) else { break }
            j += 1
        }
        return (TagName(UnsafeBufferPointer(rebasing: bytes[nameStart..<j])), j)
    }

    /// A character reference at `at` (`&`) and its length in bytes; a lone `&` is itself.
    private static func entity(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> (String, Int) {
        var j = at + 1
        while j < bytes.count, j - at < 12, bytes[j] != UInt8(ascii: ";") { j += 1 }
        guard j < bytes.count, bytes[j] == UInt8(ascii: ";") else { return ("&", 1) }
        let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[(at + 1)..<j]), as: UTF8.self)
        if let value = namedEntities[body] { return (value, j - at + 1) }
        if body.hasPrefix("#x") || body.hasPrefix("#X"), let code = UInt32(body.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
            return (String(scalar), j - at + 1)
        }
        if body.hasPrefix("#"), let code = UInt32(body.dropFirst()), let scalar = Unicode.Scalar(code) { return (String(scalar), j - at + 1) }
        return ("&", 1)
    }

    private static let namedEntities = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "#39": "'"]
}
