import Foundation
import Markdown

/// Finds decimal numbers typed into a note's prose: every number the site shows should come from
/// an executable block (computed) or from cited data (`content/data/`, with its provenance), so a
/// typed one is reported as a **warning** at its `path:line:col`.
///
/// Conservative by design (a warning that cries wolf gets ignored). Looked at: paragraphs, list
/// items, headings, block quotes and hand-made tables. Not looked at:
/// - code: fenced and indented blocks (executable blocks included), inline code spans;
/// - formulas: `$…$`, `$$…$$`, `\(…\)`, `\[…\]` (a formula states a definition, not a result);
/// - links' destinations, autolinks, bare URLs, raw HTML lines and tags, link reference definitions;
/// - numbers that are not decimals (years, counts, `γ = 2`), version-like numbers (`1.2.3`), DOIs
///   and arXiv ids (`10.1016/…`, `1708.02002`), section or equation numbers (`§6.2`, `Eq. 3.1`),
///   releases of a named library (`PyTorch 2.1`, `MONAI (…, from 1.6)`);
/// - settings: a number right after `=`, `≤`, `≥`, `<` or `>` (`α = 0.25`, `p ≥ 0.5`) is an input
///   the note chooses, not a result it reports;
/// - numbers the page shows in an executable or cited table, up to rounding (`0.105` when a table
///   shows `0.10536`): the prose repeats a number whose source is on the page.
struct ProseNumbers {
    /// Numbers shown by the page's executable and cited blocks.
    var shown: [Double] = []

    struct Finding: Equatable {
        var line: Int
        var column: Int
        var text: String
    }

    /// - Parameters:
    ///   - markdown: the page's body; `lineOffset` lines come before it in its file.
    ///   - codeLines: file lines of code blocks (from the parse), skipped entirely.
    func findings(in markdown: String, lineOffset: Int, codeLines: [ClosedRange<Int>]) -> [Finding] {
        var found: [Finding] = []
        var inDisplayMath: String? = nil // the closing delimiter we wait for
        var inComment = false
        // Lines only grow: a cursor over the code blocks in order keeps a long note linear.
        let codeLines = codeLines.sorted { $0.lowerBound < $1.lowerBound }
        var codeCursor = 0
        let shown = ShownNumbers(shown)
        let text = markdown.utf8
        // One buffer of bytes and one of scalars, reused from line to line: a line read unit by
        // unit is not a fresh array (a 50 MB note has tens of thousands of such lines).
        var byteUnits: [ASCIIByte] = [], scalarUnits: [Unicode.Scalar] = []
        Self.forEachLine(of: markdown) { index, range, plain, bytes in
            let fileLine = index + 1 + lineOffset
            while codeCursor < codeLines.count, codeLines[codeCursor].upperBound < fileLine { codeCursor += 1 }
            if codeLines[codeCursor...].prefix(while: { $0.lowerBound <= fileLine }).contains(where: { $0.contains(fileLine) }) { return }
            // Most lines hold no decimal and open nothing that spans lines: nothing to look at.
            if !inComment, inDisplayMath == nil, plain { return }
            let line = UnsafeBufferPointer(rebasing: bytes[range])
            let decimal = Self.hasDecimal(line)
            // An ASCII line without `\r` is one character a byte: scanned as bytes, with the same
            // results (columns included) as scanning its characters, without grapheme breaking.
            if Self.isSingleByteLine(line) {
                byteUnits.removeAll(keepingCapacity: true)
                byteUnits.append(contentsOf: line.lazy.map { ASCIIByte(ascii: $0) })
                found += findings(inLine: &byteUnits, hasDecimal: decimal, line: fileLine, shown: shown,
                                  inDisplayMath: &inDisplayMath, inComment: &inComment)
            } else if Self.scalarsIfOnePerCharacter(line, into: &scalarUnits) {
                // Likewise a Chinese line, scalar by scalar (half a bilingual site's lines).
                found += findings(inLine: &scalarUnits, hasDecimal: decimal, line: fileLine, shown: shown,
                                  inDisplayMath: &inDisplayMath, inComment: &inComment)
            } else {
                var characters = Array(markdown[text.index(text.startIndex, offsetBy: range.lowerBound)..<text.index(text.startIndex, offsetBy: range.upperBound)])
                found += findings(inLine: &characters, hasDecimal: decimal, line: fileLine, shown: shown,
                                  inDisplayMath: &inDisplayMath, inComment: &inComment)
            }
        }
        return found
    }

    /// Visits the lines `lineRanges()` cuts (at every `\n` but a `\r\n`'s), in one byte scan of
    /// the text that also tells whether each is plain: the line's index, its UTF-8 offsets, and
    /// whether it holds no decimal (a digit, `.`, a digit) and none of `$$`, `\(`, `\[`, `<!--`,
    /// so that it can neither report a number nor open a formula or comment that continues on the
    /// next line. No line is made a string to be skipped.
    static func forEachLine(of markdown: String, _ visit: (Int, Range<Int>, Bool) -> Void) {
        forEachLine(of: markdown) { index, range, plain, _ in visit(index, range, plain) }
    }

    /// ``forEachLine(of:_:)``, each line visited with the text's bytes too (valid during the call).
    static func forEachLine(of markdown: String, _ visit: (Int, Range<Int>, Bool, UnsafeBufferPointer<UInt8>) -> Void) {
        var markdown = markdown
        markdown.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                visit(0, 0..<0, true, bytes)
                return
            }
            var index = 0, start = 0
            // A line ends at a `\n` that does not follow a `\r` of the same line, found with `memchr`;
            // only then are its bytes read, up to the first that makes it not plain.
            while start <= bytes.count {
                var end = bytes.count, from = start
                while from < bytes.count, let found = memchr(base + from, Int32(UInt8(ascii: "\n")), bytes.count - from) {
                    let i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if i == start || bytes[i - 1] != UInt8(ascii: "\r") {
                        end = i
                        break
                    }
                    from = i + 1
                }
                visit(index, start..<end, isPlain(bytes, start..<end), bytes)
                index += 1
                start = end + 1
            }
        }
    }

    /// Whether no byte of `range` completes what ``opens(previous:beforePrevious:_:)`` looks for,
    /// with the bytes before the range's start read as 0 (the line's).
    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound + 1
        while i < range.upperBound {
            // Only a byte after `.`, `$`, `\\` or `<` can complete one: the others are passed at once.
            let previous = bytes[i - 1]
            if opensAfter[Int(previous)] {
                let beforePrevious = i - 2 >= range.lowerBound ? bytes[i - 2] : 0
                if opens(previous: previous, beforePrevious: beforePrevious, bytes[i]) { return false }
            }
            i += 1
        }
        return true
    }

    /// The bytes after which ``opens(previous:beforePrevious:_:)`` may be true.
    private static let opensAfter: [Bool] = (0..<256).map { [UInt8(ascii: "."), UInt8(ascii: "$"), UInt8(ascii: "\\"), UInt8(ascii: "<")].contains(UInt8($0)) }

    /// Whether `byte` after `previous` and `beforePrevious` completes a decimal (a digit, `.`, a
    /// digit) or one of `$$`, `\(`, `\[`, `<!` (which may open a formula or comment).
    @inline(__always)
    private static func opens(previous: UInt8, beforePrevious: UInt8, _ byte: UInt8) -> Bool {
        switch previous {
        case UInt8(ascii: "."): return isDigit(byte) && isDigit(beforePrevious)
        case UInt8(ascii: "$"): return byte == UInt8(ascii: "$")
        case UInt8(ascii: "\\"): return byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[")
        case UInt8(ascii: "<"): return byte == UInt8(ascii: "!")
        default: return false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// One line's findings, read unit by unit (``ProseUnit``), carrying formulas and comments that
    /// continue on the next line.
    /// The line's units are blanked where they are not prose (``mask(_:inDisplayMath:)``).
    /// - Parameter hasDecimal: whether the line holds a digit, `.`, a digit (``hasDecimal(_:)``).
    private func findings<Unit: ProseUnit>(inLine chars: inout [Unit], hasDecimal: Bool, line fileLine: Int, shown: ShownNumbers,
                                           inDisplayMath: inout String?, inComment: inout Bool) -> [Finding] {
        // Multi-line constructs carried over from earlier lines.
        if inComment {
            guard let end = Self.find(["-", "-", ">"], in: chars, from: 0) else { return [] }
            Self.blank(&chars, 0..<(end + 3))
            inComment = false
        }
        if let closing = inDisplayMath {
            guard let end = Self.find(Unit.units(closing), in: chars, from: 0) else { return [] }
            Self.blank(&chars, 0..<(end + closing.count))
            inDisplayMath = nil
        }
        // Raw HTML and link definitions start with `<` or `[` (only such a line is trimmed and looked at).
        if Self.mayBeHTMLOrDefinition(chars) {
            let trimmed = Unit.trimmedString(chars[...])
            if trimmed.hasPrefix("<") && !trimmed.hasPrefix("<http") {
                if trimmed.hasPrefix("<!--") && !trimmed.contains("-->") { inComment = true }
                return [] // raw HTML
            }
            if Self.isLinkDefinition(trimmed) { return [] }
        }
        Self.mask(&chars, inDisplayMath: &inDisplayMath)
        // A line with no digit, `.`, digit (one that only opens a formula) reports nothing.
        return hasDecimal ? numbers(in: chars, line: fileLine, shown: shown) : []
    }

    /// Whether every byte of the line is ASCII and none is `\r` (the one ASCII byte that joins
    /// the next, `\r\n`, into one character), looked at eight bytes at a time.
    static func isSingleByteLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return true }
        var i = 0
        while i + 8 <= line.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // No byte 0x80 or above, and no byte equal to `\r` (a zero byte of `word ^ 0x0D0D…`).
            let carriage = word ^ 0x0D0D_0D0D_0D0D_0D0D
            if word & 0x8080_8080_8080_8080 != 0 || (carriage &- 0x0101_0101_0101_0101) & ~carriage & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < line.count {
            if line[i] >= 0x80 || line[i] == UInt8(ascii: "\r") { return false }
            i += 1
        }
        return true
    }

    /// The line's scalars, into `scalars` (emptied first), when every one is a character of its
    /// own (``isOneScalarPerCharacter(_:)``); false, `scalars` partly filled, when one is not.
    /// Decoded from the line's bytes in one pass (the line is not a string first); bytes that
    /// are not UTF-8 answer false, and the line is read as characters.
    static func scalarsIfOnePerCharacter(_ line: UnsafeBufferPointer<UInt8>, into scalars: inout [Unicode.Scalar]) -> Bool {
        scalars.removeAll(keepingCapacity: true)
        var bytes = line.makeIterator(), decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case let .scalarValue(scalar):
                guard isOwnCharacter(scalar) else { return false }
                scalars.append(scalar)
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Whether every scalar of the line is a character of its own, so that reading its scalars
    /// answers as reading its characters, columns included: each is ASCII but `\r`, a CJK unified
    /// ideograph (U+4E00–U+9FFF), CJK punctuation (U+3000–U+303F less the tone marks
    /// U+302A–U+302F, which combine with the character before them), a fullwidth form of ASCII
    /// (U+FF01–U+FF5E), or one of what English notes put beside their ASCII: Latin-1's letters
    /// and signs (U+00A0–U+00FF less the soft hyphen), the Greek letters, dashes, quotes and other
    /// general punctuation (U+2010–U+2027, U+2030–U+205E), arrows (U+2190–U+21FF) and mathematical
    /// operators (U+2200–U+22FF). No grapheme-breaking rule joins two of these (none is an
    /// extending, spacing or prepended mark, a Hangul jamo, a regional indicator or the zero-width
    /// joiner; the pictographs among them, `©` or `↔`, join only through that joiner).
    /// (``scalarsIfOnePerCharacter(_:into:)``, which the check runs, of a line as a string.)
    static func isOneScalarPerCharacter(_ line: Substring) -> Bool {
        var line = line, scalars: [Unicode.Scalar] = []
        return line.withUTF8 { scalarsIfOnePerCharacter($0, into: &scalars) }
    }

    /// Whether ``isOneScalarPerCharacter(_:)`` accepts this scalar.
    private static func isOwnCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x80: return scalar != "\r"
        case 0x3000...0x3029, 0x3030...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFF5E: return true
        case 0xA0...0xAC, 0xAE...0xFF, 0x391...0x3A1, 0x3A3...0x3A9, 0x3B1...0x3C9,
             0x2010...0x2027, 0x2030...0x205E, 0x2190...0x22FF: return true
        default: return false
        }
    }

    /// Whether a digit, `.`, a digit stand in a row in the line's bytes: what every reported number holds.
    static func hasDecimal(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        for byte in line {
            if previous == UInt8(ascii: "."), digits.contains(byte), digits.contains(beforePrevious) { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    /// Whether the first scalar that is not white space is `<` or `[`. White space here is more
    /// than `CharacterSet.whitespaces` (Zs and tab), so no line that trims to `<…` or `[…` is missed.
    static func mayBeHTMLOrDefinition<Unit: ProseUnit>(_ line: [Unit]) -> Bool {
        for unit in line {
            for scalar in unit.unicodeScalars {
                if scalar.properties.isWhitespace || scalar.properties.generalCategory == .spaceSeparator { continue }
                return scalar == "<" || scalar == "["
            }
        }
        return false
    }

    /// Blanks (with spaces, keeping columns) every region of a line that is not prose.
    static func mask<Unit: ProseUnit>(_ c: inout [Unit], inDisplayMath: inout String?) {
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch == "\\", i + 1 < c.count {
                if c[i + 1] == "(" || c[i + 1] == "[" {
                    let closing = c[i + 1] == "(" ? "\\)" : "\\]"
                    if let end = find(Unit.units(closing), in: c, from: i + 2) {
                        blank(&c, i..<(end + 2)); i = end + 2
                    } else {
                        blank(&c, i..<c.count); inDisplayMath = closing; return
                    }
                    continue
                }
                blank(&c, i..<(i + 2)) // an escaped character (`\$`) is not a delimiter
                i += 2
                continue
            }
            if ch == "`" {
                var run = 0
                while i + run < c.count, c[i + run] == "`" { run += 1 }
                if let end = find(Array(repeating: "`", count: run), in: c, from: i + run) {
                    blank(&c, i..<(end + run)); i = end + run
                } else {
                    i += run
                }
                continue
            }
            if ch == "$" {
                if i + 1 < c.count, c[i + 1] == "$" {
                    if let end = find(["$", "$"], in: c, from: i + 2) {
                        blank(&c, i..<(end + 2)); i = end + 2
                    } else {
                        blank(&c, i..<c.count); inDisplayMath = "$$"; return
                    }
                    continue
                }
                // Pandoc's rule: `$` then a non-space opens; a non-space then `$` not followed by a digit closes.
                if i + 1 < c.count, !c[i + 1].isWhitespace {
                    var j = i + 1
                    while j < c.count {
                        if c[j] == "\\" { j += 2; continue }
                        if c[j] == "$", !c[j - 1].isWhitespace, !(j + 1 < c.count && c[j + 1].isNumber) { break }
                        j += 1
                    }
                    if j < c.count { blank(&c, i..<(j + 1)); i = j + 1; continue }
                }
                i += 1
                continue
            }
            if ch == "]", i + 1 < c.count, c[i + 1] == "(" {
                var depth = 0, j = i + 1
                while j < c.count {
                    if c[j] == "(" { depth += 1 } else if c[j] == ")" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                blank(&c, (i + 1)..<min(j + 1, c.count)); i = j + 1
                continue
            }
            if ch == "<", let end = c[i...].firstIndex(of: ">"), i + 1 < c.count,
               c[i + 1].isLetter || c[i + 1] == "/" || c[i + 1] == "!" {
                blank(&c, i..<(end + 1)); i = end + 1
                continue
            }
            if ch == "h", starts(c, with: "http://", at: i) || starts(c, with: "https://", at: i) {
                var j = i
                while j < c.count, !c[j].isWhitespace, c[j] != ")", c[j] != "]" { j += 1 }
                blank(&c, i..<j); i = j
                continue
            }
            i += 1
        }
    }

    static let referenceWords = ["arxiv", "§", "section", "sec.", "table", "fig.", "figure", "eq.", "equation", "chapter",
                                 "version", "表", "图", "式", "节", "第", "章", "版本"]

    /// `[label]: destination` (what the regular expression `^\[[^\]]+\]:\s` matches, without
    /// compiling one per line).
    static func isLinkDefinition(_ line: String) -> Bool {
        var scalars = line.unicodeScalars.makeIterator()
        guard scalars.next() == "[" else { return false }
        var label = 0
        while let s = scalars.next() {
            guard s != "]" else { break }
            label += 1
        }
        guard label > 0, scalars.next() == ":", let space = scalars.next() else { return false }
        switch space.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return ["\t", "\n", "\u{0C}", "\r"].contains(space)
        }
    }

    /// The numbers a page shows, sorted, so that each typed number is looked up in logarithmic time.
    struct ShownNumbers {
        let sorted: [Double]
        init(_ shown: [Double]) { sorted = shown.filter { !$0.isNaN }.sorted() }

        /// Whether one is within `tolerance` of `value`: the exact test on the few near it.
        func contains(_ value: Double, tolerance: Double) -> Bool {
            var lo = 0, hi = sorted.count
            let from = value - 2 * tolerance
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < from { lo = mid + 1 } else { hi = mid }
            }
            var i = lo
            while i < sorted.count, sorted[i] <= value + 2 * tolerance {
                if abs(sorted[i] - value) <= tolerance { return true }
                i += 1
            }
            return false
        }
    }

    func numbers<Unit: ProseUnit>(in c: [Unit], line: Int, shown: ShownNumbers) -> [Finding] {
        var found: [Finding] = []
        var i = 0
        func isWordChar(_ ch: Unit) -> Bool { ch.isASCII && (ch.isLetter || ch.isNumber || ch == "_") }
        while i < c.count {
            guard c[i].isASCII, c[i].isNumber, i == 0 || !(isWordChar(c[i - 1]) || c[i - 1] == "." || c[i - 1] == "/") else {
                i += 1
                continue
            }
            var j = i
            while j < c.count, c[j].isASCII, c[j].isNumber { j += 1 }
            guard j + 1 < c.count, c[j] == ".", c[j + 1].isASCII, c[j + 1].isNumber else { i = j; continue }
            var k = j + 1
            while k < c.count, c[k].isASCII, c[k].isNumber { k += 1 }
            defer { i = k }
            // Version-like (`1.2.3`), DOI (`10.1016/`), identifiers (`2.0x`, `3.5e`) are not measurements.
            if k < c.count, isWordChar(c[k]) || c[k] == "/" || (c[k] == "." && k + 1 < c.count && c[k + 1].isNumber) { continue }
            let text = Unit.string(c[i..<k])
            if k - j - 1 >= 4 && j - i == 4 { continue } // arXiv id 1708.02002
            // Trimmed before it is lower-cased (the same: no white space changes case, nor becomes white).
            let head = Unit.trimmedString(c[max(0, i - 12)..<i]).lowercased()
            if let last = head.last, last == "=" || last == "≤" || last == "≥" || last == "<" || last == ">" { continue }
            if Self.endsWithReferenceWord(head) { continue }
            if isVersion(c, at: i) { continue }
            guard let value = Double(text) else { continue }
            let decimals = k - j - 1
            let tolerance = 0.5 * pow(10, -Double(decimals)) + 1e-12
            if shown.contains(value, tolerance: tolerance) { continue }
            found.append(Finding(line: line, column: i + 1, text: text))
        }
        return found
    }

    static let software = ["monai", "pytorch", "torch", "scipy", "numpy", "python", "swift", "tensorflow", "keras", "jax",
                           "optax", "nnu-net", "katex", "graphviz", "node", "cmark"]

    /// Whether `head` ends with one of ``referenceWords`` (none of them empty), as `hasSuffix`
    /// tells. A word whose last character is ASCII can only end a text whose last byte is that
    /// character's (no other character, nor sequence, is canonically equivalent to an ASCII one):
    /// it is compared only with such a text (eighteen `hasSuffix` calls were a quarter of the check
    /// of a number).
    ///
    /// A word whose last character is not ASCII is compared only when `head`'s last character is
    /// that one: `hasSuffix` compares characters from the end, so it cannot hold otherwise. (Called
    /// for every number of the prose, the eight words that end in CJK or `§` took a `hasSuffix`
    /// each, 1.6 % of the instructions of a build that renders 4,000 pages.)
    static func endsWithReferenceWord(_ head: String) -> Bool {
        guard let lastByte = head.utf8.last else { return false }
        var last: Character?
        return referenceWords.indices.contains { index in
            if let byte = referenceWordLastASCII[index] {
                if byte != lastByte { return false }
            } else {
                if last == nil { last = head.last }
                if last != referenceWordLast[index] { return false }
            }
            return head.hasSuffix(referenceWords[index])
        }
    }

    /// Each of ``referenceWords``' last character, when it is ASCII (its one byte).
    private static let referenceWordLastASCII: [UInt8?] = referenceWords.map { word in
        word.last.flatMap { $0.isASCII ? $0.asciiValue : nil }
    }

    /// Each of ``referenceWords``' last character.
    private static let referenceWordLast: [Character?] = referenceWords.map(\.last)

    /// `MONAI (…, from 1.6)`, `PyTorch 2.1`, `since Python 3.12`: a release of a named library.
    /// The forty units before the number are read as bytes when they are all ASCII (each then one
    /// character, lower-cased byte by byte), with the answers of ``isVersionOfText(_:at:)``, which
    /// reads any others.
    func isVersion<Unit: ProseUnit>(_ c: [Unit], at i: Int) -> Bool {
        let window = max(0, i - 40)..<i
        guard c[window].allSatisfy(\.isASCII) else { return isVersionOfText(c, at: i) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(window.count)
        for unit in c[window] {
            // An ASCII unit is one scalar (a character `\r\n` aside, whose `\r` parts words as it does).
            var scalars = unit.unicodeScalars.makeIterator()
            let byte = scalars.next().map { UInt8(truncatingIfNeeded: $0.value) } ?? 0
            bytes.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
        }
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
        }
        // The words as `split` cuts them, from the last one back.
        var words: [ArraySlice<UInt8>] = []
        var end = bytes.count
        while end > 0 {
            while end > 0, !isWordByte(bytes[end - 1]) { end -= 1 }
            var start = end
            while start > 0, isWordByte(bytes[start - 1]) { start -= 1 }
            if start < end { words.append(bytes[start..<end]) }
            end = start
        }
        guard let last = words.first else { return false }
        if Self.softwareBytes.contains(where: { $0.elementsEqual(last) }) { return true }
        guard Self.releaseWordBytes.contains(where: { $0.elementsEqual(last) }) else { return false }
        return words.contains { word in Self.softwareBytes.contains { $0.elementsEqual(word) } }
    }

    private static let softwareBytes = software.map { Array($0.utf8) }
    /// The ASCII ones of the words that say a release follows (the others cannot be in an ASCII text).
    private static let releaseWordBytes = releaseWords.filter { $0.allSatisfy(\.isASCII) }.map { Array($0.utf8) }
    static let releaseWords = ["from", "since", "release", "自", "从"]

    /// ``isVersion(_:at:)`` read from the units' text, lower-cased and split into words.
    func isVersionOfText<Unit: ProseUnit>(_ c: [Unit], at i: Int) -> Bool {
        let before = Unit.string(c[max(0, i - 40)..<i]).lowercased()
        let words = before.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).map(String.init)
        guard let last = words.last else { return false }
        let names = Self.software
        if names.contains(last) { return true }
        return Self.releaseWords.contains(last) && words.contains(where: names.contains)
    }

    /// Whether `prefix` stands at `i` (compared in place: no array or string made per position).
    static func starts<Unit: ProseUnit>(_ c: [Unit], with prefix: [Unit], at i: Int) -> Bool {
        i + prefix.count <= c.count && c[i..<(i + prefix.count)].elementsEqual(prefix)
    }

    /// Whether the ASCII literal `prefix` stands at `i` (no array made for it).
    static func starts<Unit: ProseUnit>(_ c: [Unit], with prefix: StaticString, at i: Int) -> Bool {
        prefix.withUTF8Buffer { bytes in
            i + bytes.count <= c.count && bytes.indices.allSatisfy { c[i + $0] == Unit(ascii: bytes[$0]) }
        }
    }

    static func find<Unit: ProseUnit>(_ needle: [Unit], in c: [Unit], from start: Int) -> Int? {
        guard !needle.isEmpty, start <= c.count - needle.count else { return nil }
        for i in start...(c.count - needle.count) where starts(c, with: needle, at: i) { return i }
        return nil
    }

    static func blank<Unit: ProseUnit>(_ c: inout [Unit], _ range: Range<Int>) {
        for i in range where i < c.count { c[i] = " " }
    }

    /// The numbers in a cell's text (a table cell may hold `0.105` or `1.2e-3`).
    static func numbers(inShown text: String) -> [Double] {
        text.split(whereSeparator: { !($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "-" || $0 == "−") })
            .compactMap { Double(String($0).utf8Replacing("−", with: "-")) }
    }
}

/// What ``ProseNumbers`` reads a line as: its characters, or, for a line of ASCII bytes without
/// `\r` (where each byte is one character), its bytes, or, for a line whose every scalar is one
/// character (Chinese prose), its scalars: these answer the same questions the same way without
/// grapheme breaking.
protocol ProseUnit: Equatable, ExpressibleByUnicodeScalarLiteral {
    associatedtype Scalars: Sequence<Unicode.Scalar>
    var unicodeScalars: Scalars { get }
    var isASCII: Bool { get }
    var isLetter: Bool { get }
    var isNumber: Bool { get }
    var isWhitespace: Bool { get }
    init(ascii byte: UInt8)
    /// The units of a delimiter (`$$`, `\)`).
    static func units(_ text: String) -> [Self]
    static func string(_ units: ArraySlice<Self>) -> String
    /// ``string(_:)`` trimmed as `trimmingCharacters(in: .whitespaces)` trims it.
    static func trimmedString(_ units: ArraySlice<Self>) -> String
}

extension ProseUnit where Self: UnicodeScalarUnit {
    /// Each unit one scalar: trimmed unit by unit, as Foundation trims scalar by scalar, without
    /// making the whole line a string first (Foundation's trimming reads it as UTF-16).
    static func trimmedString(_ units: ArraySlice<Self>) -> String {
        var start = units.startIndex, end = units.endIndex
        while start < end, units[start].isTrimmedAsWhiteSpace { start += 1 }
        while end > start, units[end - 1].isTrimmedAsWhiteSpace { end -= 1 }
        return string(units[start..<end])
    }
}

/// A ``ProseUnit`` that is always one Unicode scalar.
protocol UnicodeScalarUnit {
    /// Whether `CharacterSet.whitespaces` holds it (what `trimmingCharacters(in: .whitespaces)` removes).
    var isTrimmedAsWhiteSpace: Bool { get }
}

extension Character: ProseUnit {
    init(ascii byte: UInt8) { self.init(Unicode.Scalar(byte)) }
    static func units(_ text: String) -> [Character] { Array(text) }
    static func string(_ units: ArraySlice<Character>) -> String { String(units) }
    // A character may hold white space and a mark after it: Foundation's own trimming, scalar by scalar.
    static func trimmedString(_ units: ArraySlice<Character>) -> String { String(units).trimmingCharacters(in: .whitespaces) }
}

/// A scalar of a line whose every scalar is a character (``ProseNumbers/isOneScalarPerCharacter(_:)``),
/// with `Character`'s answers for a one-scalar character (which asks its scalar's properties).
extension Unicode.Scalar: ProseUnit, UnicodeScalarUnit {
    init(ascii byte: UInt8) { self.init(byte) }

    // ASCII's are tab and space (Unicode's Zs and U+0009), answered without Foundation's set.
    var isTrimmedAsWhiteSpace: Bool {
        value < 0x80 ? value == 0x20 || value == 0x09 : CharacterSet.whitespaces.contains(self)
    }

    var unicodeScalars: CollectionOfOne<Unicode.Scalar> { CollectionOfOne(self) }
    // An ASCII scalar is answered without Unicode's tables: its letters are A–Z and a–z, its
    // numbers 0–9, its white space tab to carriage return and space (what the tables say of them).
    var isLetter: Bool { value < 0x80 ? ASCIIByte(ascii: UInt8(value)).isLetter : properties.isAlphabetic }
    var isNumber: Bool { value < 0x80 ? ASCIIByte(ascii: UInt8(value)).isNumber : properties.numericType != nil }
    var isWhitespace: Bool { value < 0x80 ? ASCIIByte(ascii: UInt8(value)).isWhitespace : properties.isWhitespace }

    static func units(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }
    static func string(_ units: ArraySlice<Unicode.Scalar>) -> String {
        // ASCII (a number, the words before it in a table's row) as its bytes: appended scalar by
        // scalar, a short text cost thousands of instructions.
        if units.allSatisfy(\.isASCII) { return String(decoding: units.lazy.map { UInt8(truncatingIfNeeded: $0.value) }, as: UTF8.self) }
        var text = ""
        text.unicodeScalars.append(contentsOf: units)
        return text
    }
}

/// A byte of an ASCII line, with `Character`'s answers for an ASCII character.
struct ASCIIByte: ProseUnit, UnicodeScalarUnit {
    var byte: UInt8

    /// Tab and space: `CharacterSet.whitespaces` in ASCII.
    var isTrimmedAsWhiteSpace: Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    init(ascii byte: UInt8) { self.byte = byte }
    init(unicodeScalarLiteral scalar: Unicode.Scalar) { byte = UInt8(ascii: scalar) }

    var unicodeScalars: CollectionOfOne<Unicode.Scalar> { CollectionOfOne(Unicode.Scalar(byte)) }
    var isASCII: Bool { byte < 0x80 }
    var isLetter: Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    var isNumber: Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    /// Tab, line feed, vertical tab, form feed, carriage return and space: Unicode's white space in ASCII.
    var isWhitespace: Bool { byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D) }

    static func units(_ text: String) -> [ASCIIByte] { text.utf8.map { ASCIIByte(ascii: $0) } }
    static func string(_ units: ArraySlice<ASCIIByte>) -> String { String(decoding: units.lazy.map(\.byte), as: UTF8.self) }
}
