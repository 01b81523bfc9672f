#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Takes formulas out of a markdown source before cmark-gfm parses it, so markdown never sees
/// (and never corrupts) their `_`, `*`, `\\`, `\{` or `|`, and says where each one was.
///
/// Rules, as pandoc's `tex_math_dollars` and `tex_math_single_backslash`:
/// - inline `$…$`: the opening `$` is followed by a non-space, the closing `$` is preceded by a
///   non-space and not followed by a digit; the formula stays within its paragraph and closes at
///   the next unescaped `$` (so `$5 and $10` stay dollars even when a formula follows).
/// - display `$$…$$` may span lines; an unclosed `$$` is an error.
/// - `\(…\)` inline and `\[…\]` display; an unclosed one is left as markdown escapes.
/// - `\$` is a literal dollar.
/// - nothing inside code spans, fenced or indented code blocks or raw HTML blocks is touched
///   (their lines come from cmark-gfm's own block parse, so they are exactly the markdown's).
///
/// Every step moves forward through the source, and each "next delimiter" lookup uses a
/// monotone cursor over a precomputed sorted list, so the scan is linear in the input size
/// (thousands of `$` amounts of money do not make it quadratic).
public struct ProtectedSource: Sendable {
    /// The source with each formula replaced by a placeholder token.
    public let text: String
    /// The formulas, in source order; placeholder `i` stands for `spans[i]`.
    public let spans: [MathSpan]
    /// `originalLine[l - 1]` is the line of the original source that line `l` of `text` starts on.
    let originalLine: [Int]
    /// Bytes and list entries the scan looked at: what the linearity test measures.
    let scanSteps: Int
    /// The byte ranges of the source each token replaced (delimiters included): two protections
    /// of one source with the same ranges wrote the same text and the same spans.
    let replaced: [Range<Int>]
    /// Whether taking the formulas out leaves the source's blocks as they were (``MathScanner/replacementsKeepBlocks()``):
    /// then cmark-gfm finds the same code and HTML blocks in `text` as in the source.
    let keepsBlocks: Bool

    /// The original line of a 1-based line of `text`.
    public func originalLine(of protectedLine: Int) -> Int {
        guard protectedLine >= 1, protectedLine <= originalLine.count else { return protectedLine }
        return originalLine[protectedLine - 1]
    }

    /// The placeholder for formula `index`: private-use characters that markdown leaves alone.
    public static func token(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

    /// Protects `source`, whose code and HTML blocks occupy `excludedLines` (1-based, inclusive).
    init(source: String, excludedLines: [ClosedRange<Int>]) throws {
        try self.init(bytes: Array(source.utf8), excludedLines: excludedLines)
    }

    /// The byte ranges a protection of `bytes` with `excludedLines` would replace (its
    /// ``replaced``), from the scan alone: the protected text is not written. What
    /// `MarkdownDocument` compares to confirm a parse, without a second copy of a big note.
    static func replacedRanges(bytes: [UInt8], excludedLines: [ClosedRange<Int>]) throws -> [Range<Int>] {
        var scanner = MathScanner(bytes: bytes, excludedLines: excludedLines)
        try scanner.scan()
        return scanner.replaced
    }

    /// Protects the UTF-8 bytes of a source (shared, not copied, by several protections of it).
    init(bytes: [UInt8], excludedLines: [ClosedRange<Int>]) throws {
        var scanner = MathScanner(bytes: bytes, excludedLines: excludedLines)
        try scanner.scan()
        self.scanSteps = scanner.steps.count
        self.spans = scanner.spans
        self.replaced = scanner.replaced
        self.keepsBlocks = scanner.replacementsKeepBlocks()
        (self.text, self.originalLine) = scanner.rewrite()
    }
}

private let dollar = UInt8(ascii: "$"), backslash = UInt8(ascii: "\\"), backtick = UInt8(ascii: "`")
private let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
private let cr = UInt8(ascii: "\r"), quote = UInt8(ascii: ">")

private func isSpace(_ b: UInt8) -> Bool { b == space || b == tab || b == newline || b == cr }
private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

/// Counts the steps of a scan (every byte or list entry looked at), so that a test can measure
/// that the scan is linear instead of timing it.
private final class StepCounter {
    var count = 0
}

/// Sorted positions with a cursor that only moves forward: `next(atOrAfter:)` is amortised O(1)
/// as long as the queries do not decrease.
private struct ForwardCursor {
    let positions: [Int]
    let steps: StepCounter
    var index = 0
    init(_ positions: [Int], steps: StepCounter) {
        self.positions = positions
        self.steps = steps
    }
    mutating func next(atOrAfter p: Int) -> Int? {
        nextIndex(atOrAfter: p).map { positions[$0] }
    }
    /// Where in `positions` the next one stands: what a list kept beside them is read at.
    mutating func nextIndex(atOrAfter p: Int) -> Int? {
        steps.count += 1
        while index < positions.count, positions[index] < p {
            index += 1
            steps.count += 1
        }
        return index < positions.count ? index : nil
    }
}

/// The bytes a pass of the scan stops at, as a table: the bytes between two of them (most of a
/// note) are passed in one tight loop over the buffer, without a test for each kind of stop.
private struct StopBytes {
    let stops: [Bool]
    init(_ bytes: StaticString) {
        var stops = [Bool](repeating: false, count: 256)
        bytes.withUTF8Buffer { for b in $0 { stops[Int(b)] = true } }
        self.stops = stops
    }
    /// The first position at or after `start` whose byte is a stop, or the end of `bytes`.
    func next(in bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { bytes in
            stops.withUnsafeBufferPointer { stops in
                var i = start
                while i < bytes.count, !stops[Int(bytes[i])] { i += 1 }
                return i
            }
        }
    }
}

/// What the first pass collects (delimiters, code span runs, blank lines) and what the second
/// pass reads (delimiters only).
private let firstPassStops = StopBytes("$\\`\n"), secondPassStops = StopBytes("$\\`]")

private struct MathScanner {
    /// The source, with excluded (code/HTML block) lines blanked to spaces.
    var w: [UInt8]
    let original: [UInt8]
    var lineStarts: [Int] = [0]
    var spans: [MathSpan] = []
    /// Byte ranges of the source replaced by token i (delimiters included).
    var replaced: [Range<Int>] = []
    /// Byte offset where each span's TeX starts, and the block-quote depth of its opening line.
    var contentRanges: [Range<Int>] = []
    let steps = StepCounter()

    init(bytes: [UInt8], excludedLines: [ClosedRange<Int>]) {
        original = bytes
        w = bytes
        bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var p = 0
            while p < bytes.count, let found = memchr(base + p, Int32(newline), bytes.count - p) {
                p = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                lineStarts.append(p)
            }
        }
        for range in excludedLines {
            let lo = lineStarts[min(max(range.lowerBound - 1, 0), lineStarts.count - 1)]
            let hiLine = min(range.upperBound, lineStarts.count)
            let hi = hiLine < lineStarts.count ? lineStarts[hiLine] - 1 : bytes.count
            var i = lo
            while i < hi {
                if w[i] != newline { w[i] = space }
                i += 1
            }
        }
    }

    func escaped(_ i: Int) -> Bool {
        var k = i - 1, count = 0
        while k >= 0, w[k] == backslash {
            steps.count += 1
            count += 1
            k -= 1
        }
        return count % 2 == 1
    }

    /// The last position computed: offsets are asked for in increasing order, so a column is
    /// counted on from there rather than from its line's start (a paragraph of 50 000 formulas
    /// on one line would otherwise be quadratic).
    var lastLocation = (offset: 0, lineIndex: 0, column: 1)

    /// The parentheses ``matchParentheses(from:)`` matched last: its bytes `start..<end`, and
    /// the `)` of each `(` among them that has one.
    var parens: (start: Int, end: Int, closers: [Int: Int]) = (0, 0, [:])

    mutating func location(_ offset: Int) -> SourceLocation {
        var lo = 0, looked = 0
        if lastLocation.offset <= offset {
            // Asked for in increasing order: the line is found walking on from the last one's (a
            // binary search for each of a big note's formulas was a sixth of the scan).
            lo = lastLocation.lineIndex
            while lo + 1 < lineStarts.count, lineStarts[lo + 1] <= offset {
                lo += 1
                looked += 1
            }
        } else {
            var hi = lineStarts.count - 1
            while lo < hi {
                looked += 1
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
        }
        var column = 1
        var k = lineStarts[lo]
        if lastLocation.lineIndex == lo, lastLocation.offset >= k, lastLocation.offset <= offset {
            (k, column) = (lastLocation.offset, lastLocation.column)
        }
        // One column a character: every byte but UTF-8's continuation bytes starts one.
        let (from, to) = (k, max(k, offset))
        column += original.withUnsafeBufferPointer { bytes in
            var starts = 0
            for p in from..<to where bytes[p] & 0xC0 != 0x80 { starts += 1 }
            return starts
        }
        steps.count += looked + (to - from)
        lastLocation = (offset, lo, column)
        return SourceLocation(line: lo + 1, column: column)
    }

    mutating func scan() throws {
        let n = w.count
        func at(_ i: Int) -> UInt8 { i < n && i >= 0 ? w[i] : 0 }

        // Sorted candidate lists, computed once.
        // Every unescaped lone `$`, and which of them may close a formula. A formula closes at the
        // next lone `$` or not at all (an unescaped `$` is never valid inside TeX math), so
        // "$5 and $10, loss $L$" keeps both amounts as text.
        var singleDollars: [Int] = [], validCloser: [Bool] = [] // validCloser[k]: singleDollars[k] may close
        var doubleDollars: [Int] = [], parenClosers: [Int] = [], bracketClosers: [Int] = []
        var blankLineStarts: [Int] = []
        var runs: [(start: Int, length: Int)] = []
        var i = 0
        // The bytes each loop looks at are counted in a local and added to `steps` after it (a
        // counter in memory, written at every byte of a big note, was a tenth of the scan).
        var looked = 0
        while i < n {
            let stop = firstPassStops.next(in: w, from: i)
            looked += stop - i
            i = stop
            guard i < n else { break }
            looked += 1
            let b = w[i]
            if b == dollar {
                if at(i + 1) == dollar {
                    if !escaped(i) { doubleDollars.append(i) }
                    i += 2
                    continue
                }
                if at(i - 1) != dollar, !escaped(i) {
                    singleDollars.append(i)
                    validCloser.append(i > 0 && !isSpace(w[i - 1]) && !isDigit(at(i + 1)))
                }
            } else if b == backslash {
                // A run of backslashes at once: asking `escaped` at each of them was quadratic in
                // the run (a line of 40 000 took half a minute). They escape each other in pairs;
                // the last escapes the byte after the run unless the backslashes before it, those
                // in front of the run included, are odd in number.
                var j = i + 1
                while j < n, w[j] == backslash { j += 1 }
                looked += j - i - 1
                if ((j - 1 - i) % 2 == 1) == escaped(i) {
                    if at(j) == UInt8(ascii: ")") { parenClosers.append(j - 1) }
                    if at(j) == UInt8(ascii: "]") { bracketClosers.append(j - 1) }
                }
                i = j
                continue
            } else if b == backtick {
                var j = i
                while j < n, w[j] == backtick {
                    j += 1
                    steps.count += 1
                }
                runs.append((i, j - i))
                i = j
                continue
            } else if b == newline {
                var j = i + 1
                while j < n, w[j] == space || w[j] == tab || w[j] == cr {
                    j += 1
                    looked += 1
                }
                if j >= n || w[j] == newline { blankLineStarts.append(i + 1) }
            }
            i += 1
        }
        steps.count += looked
        looked = 0
        // Run indices by length, ascending: a code span's closer is the next run of its opener's
        // length (or of the length of a run's tail after an escaped backtick).
        var runsOfLength: [Int: [Int]] = [:]
        for r in runs.indices { runsOfLength[runs[r].length, default: []].append(r) }
        /// The first run after run `r` whose length is `length`, or -1 (binary search).
        func nextRun(after r: Int, length: Int) -> Int {
            guard let candidates = runsOfLength[length] else { return -1 }
            var low = 0, high = candidates.count
            while low < high {
                let mid = (low + high) / 2
                if candidates[mid] <= r { low = mid + 1 } else { high = mid }
                steps.count += 1
            }
            return low < candidates.count ? candidates[low] : -1
        }

        var closers = ForwardCursor(singleDollars, steps: steps), doubles = ForwardCursor(doubleDollars, steps: steps)
        var parens = ForwardCursor(parenClosers, steps: steps), brackets = ForwardCursor(bracketClosers, steps: steps)
        var blanks = ForwardCursor(blankLineStarts, steps: steps)
        var runCursor = 0

        i = 0
        defer { steps.count += looked }
        while i < n {
            // Most bytes are none of `\\`, `]`, `` ` `` and `$`: passed at once.
            let stop = secondPassStops.next(in: w, from: i)
            looked += stop - i
            i = stop
            guard i < n else { break }
            looked += 1
            let b = w[i]
            if b == backslash {
                let next = at(i + 1)
                if next == UInt8(ascii: "(") || next == UInt8(ascii: "[") {
                    let display = next == UInt8(ascii: "[")
                    let paragraphEnd = blanks.next(atOrAfter: i) ?? n
                    let close = display ? brackets.next(atOrAfter: i + 2) : parens.next(atOrAfter: i + 2)
                    if let close, display || close < paragraphEnd {
                        add(display ? .display : .inline, from: i, contentStart: i + 2, contentEnd: close, end: close + 2)
                        i = close + 2
                        continue
                    }
                }
                i += 2 // an escaped character, `\$` included, is literal
                continue
            }
            if b == UInt8(ascii: "]"), at(i + 1) == UInt8(ascii: "("), let close = linkDestinationEnd(from: i + 1) {
                i = close + 1 // a link destination is a URL, never math: `[x](\\(a\\))`, `[x](/$p$)`
                continue
            }
            if b == backtick {
                // The run holding i: it starts at i, or earlier when its first backtick was escaped
                // (`\``: the escaped one is literal and the rest is a run of its own, CommonMark 6.1).
                while runCursor < runs.count, runs[runCursor].start + runs[runCursor].length <= i {
                    runCursor += 1
                    steps.count += 1
                }
                let run = runs[runCursor]
                let length = run.start + run.length - i
                let closer = nextRun(after: runCursor, length: length)
                if closer >= 0 {
                    i = runs[closer].start + runs[closer].length
                } else {
                    i += length
                }
                continue
            }
            if b == dollar {
                if at(i + 1) == dollar {
                    guard let close = doubles.next(atOrAfter: i + 2) else {
                        throw MarkdownError("unclosed display math: '$$' has no closing '$$'", at: location(i),
                                            hint: "close the formula with '$$', or write '\\$' for a literal dollar")
                    }
                    add(.display, from: i, contentStart: i + 2, contentEnd: close, end: close + 2)
                    i = close + 2
                    continue
                }
                if !isSpace(at(i + 1)), at(i + 1) != 0 {
                    let paragraphEnd = blanks.next(atOrAfter: i) ?? n
                    if let k = closers.nextIndex(atOrAfter: i + 1), case let close = singleDollars[k],
                       close > i + 1, validCloser[k], close < paragraphEnd {
                        add(.inline, from: i, contentStart: i + 1, contentEnd: close, end: close + 1)
                        i = close + 1
                        continue
                    }
                }
            }
            i += 1
        }
    }

    /// The `)` that closes an inline link's destination opened at `open`, with nested balanced
    /// parentheses and backslash escapes as CommonMark allows, if it is at most
    /// `maximumDestination` bytes ahead. Read from ``parens``, which matches every parenthesis of
    /// a line once: looking ahead from each `](` of a line of them was 2,048 bytes per byte.
    mutating func linkDestinationEnd(from open: Int) -> Int? {
        let maximumDestination = 2048
        if !(parens.start..<parens.end).contains(open) { matchParentheses(from: open) }
        guard let close = parens.closers[open], close < open + maximumDestination else { return nil }
        return close
    }

    /// Each `(` from `start` to the end of its line and the `)` that balances it, as a scan from
    /// that `(` would find it (a backslash skips the byte after it, the line end too). The second
    /// pass asks at increasing offsets, and an offset is looked up here when its line's pass has
    /// seen it, so each byte is matched at most once. An opener is never an escaped byte: it
    /// follows a `]`.
    mutating func matchParentheses(from start: Int) {
        var closers: [Int: Int] = [:], openers: [Int] = []
        var k = start
        while k < w.count, w[k] != newline {
            steps.count += 1
            let b = w[k]
            if b == backslash {
                k += 2
                continue
            }
            if b == UInt8(ascii: "(") {
                openers.append(k)
            } else if b == UInt8(ascii: ")"), let opener = openers.popLast() {
                closers[opener] = k
            }
            k += 1
        }
        parens = (start, max(k, start + 1), closers)
    }

    mutating func add(_ kind: MathSpan.Kind, from start: Int, contentStart: Int, contentEnd: Int, end: Int) {
        // Continuation lines of a formula inside a block quote carry the quote's `>` markers:
        // strip as many as the opening line has.
        let lineStart = location(start).line - 1
        var depth = 0
        var k = lineStarts[lineStart]
        while k < start, w[k] == space || w[k] == quote {
            steps.count += 1
            if w[k] == quote { depth += 1 }
            k += 1
        }
        var tex = [UInt8]()
        tex.reserveCapacity(contentEnd - contentStart)
        var p = contentStart
        while p < contentEnd {
            steps.count += 1
            let b = original[p]
            tex.append(b)
            p += 1
            if b == newline, depth > 0 {
                var stripped = 0
                var q = p
                while q < contentEnd, stripped < depth, original[q] == space || original[q] == quote {
                    steps.count += 1
                    if original[q] == quote { stripped += 1 }
                    q += 1
                }
                if stripped == depth {
                    if q < contentEnd, original[q] == space { q += 1 }
                    p = q
                }
            }
        }
        let loc = location(contentStart)
        spans.append(MathSpan(kind: kind, tex: String(decoding: tex, as: UTF8.self), line: loc.line, column: loc.column))
        replaced.append(start..<end)
    }

    /// Whether cmark-gfm sees the same code and HTML blocks in the source with the tokens in as in
    /// the source: a conservative test, true when no replacement can change where one starts or ends.
    /// A token stands within its formula's first line, so what can differ is
    /// - the lines a multi-line formula takes away: each must continue the paragraph its first
    ///   line holds, so none may be blank, nest a block quote deeper than the first line, or start
    ///   with a character that opens a block (`<` HTML, `` ` `` `~` a fence, `#` `-` `+` `*` `=` `_`
    ///   a heading, list or rule, a digit a list, `[` a footnote, `|` a table); and the first line
    ///   must not be a heading's (`#`), after which the lines that followed the formula would start anew;
    /// - a table's cells, counted at `|`: a formula holding `|` (or a multi-line one on a line
    ///   holding one) may make or unmake a table header, and a table, unlike a paragraph, is ended
    ///   by an indented (code) line or an HTML line. So the lines after it, up to the next blank
    ///   one, must neither start with `<` nor be indented four columns.
    func replacementsKeepBlocks() -> Bool {
        let pipe = UInt8(ascii: "|")
        let opensBlock = Set("<`~#-+*=_[|0123456789".utf8)
        var clearUntil = 0 // the lines from the last table check's start to here hold no `<` or indented line
        // Lines are found in `lineStarts` (a formula's whole line is read only when it has several:
        // a paragraph of thousands of formulas on one line stays linear).
        func lineIndex(_ offset: Int) -> Int { // the last line starting at or before `offset`
            var lo = 0, hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }
        func lineEnd(_ line: Int) -> Int { line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : original.count }
        for range in replaced {
            let first = lineIndex(range.lowerBound), last = lineIndex(range.upperBound - 1)
            let multiLine = last > first
            let lineStart = lineStarts[first], lastLineEnd = lineEnd(last)
            if multiLine ? original[lineStart..<lastLineEnd].contains(pipe) : original[range].contains(pipe) {
                guard lastLineEnd <= clearUntil || tableMayEndAlike(after: lastLineEnd, clearUntil: &clearUntil) else { return false }
            }
            guard multiLine else { continue }
            if original[lineStart..<range.lowerBound].contains(UInt8(ascii: "#")) { return false }
            let depth = original[lineStart..<range.lowerBound].reduce(0) { $0 + ($1 == quote ? 1 : 0) }
            // Every line after the first, up to the formula's last.
            for k in range where original[k] == newline {
                var p = k + 1, quotes = 0
                while p < original.count, original[p] == space || original[p] == tab || original[p] == quote {
                    if original[p] == quote { quotes += 1 }
                    p += 1
                }
                guard quotes <= depth, p < original.count, original[p] != newline, original[p] != cr,
                      !opensBlock.contains(original[p]) else { return false }
            }
        }
        return true
    }

    /// Whether no line from the one after `lineEnd` (a newline's offset) to the next blank line
    /// starts with `<` or is indented four columns (block-quote markers aside); `clearUntil` becomes
    /// the blank line's offset, so that later formulas in the same paragraph are not checked again.
    private func tableMayEndAlike(after lineEnd: Int, clearUntil: inout Int) -> Bool {
        var p = lineEnd + 1
        while p < original.count {
            var indent = 0
            while p < original.count, original[p] == space || original[p] == tab || original[p] == quote {
                indent += original[p] == space ? 1 : original[p] == tab ? 4 : 0
                p += 1
            }
            if p >= original.count || original[p] == newline || original[p] == cr { break } // blank: the table's end
            if original[p] == UInt8(ascii: "<") || indent >= 4 { return false }
            while p < original.count, original[p] != newline { p += 1 }
            p += 1
        }
        clearUntil = p
        return true
    }

    /// The source with each formula replaced by its token, and the original line of each output line.
    /// Written once into a string of its final size, from slices of the source (valid UTF-8) and
    /// the tokens: no byte array first, nor a UTF-8 check of a big note's copy.
    func rewrite() -> (String, [Int]) {
        let tokens = replaced.indices.map { Array(ProtectedSource.token($0).utf8) }
        let size = original.count + zip(replaced, tokens).reduce(0) { $0 + $1.1.count - $1.0.count }
        var lines = [1]
        var line = 1
        /// Counts the newlines of `range` (each starts an output line that stands on `line`).
        func countLines(_ range: Range<Int>, record: Bool) {
            original.withUnsafeBufferPointer { bytes in
                var p = range.lowerBound
                while p < range.upperBound, let found = memchr(bytes.baseAddress! + p, Int32(newline), range.upperBound - p) {
                    let hit = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    line += 1
                    if record { lines.append(line) }
                    p = hit + 1
                }
            }
        }
        let text = String(unsafeUninitializedCapacity: size) { buffer in
            original.withUnsafeBufferPointer { bytes in
                var at = 0, p = 0
                func copy(_ range: Range<Int>) {
                    guard !range.isEmpty else { return }
                    memcpy(buffer.baseAddress! + at, bytes.baseAddress! + range.lowerBound, range.count)
                    at += range.count
                }
                for (index, range) in replaced.enumerated() {
                    copy(p..<range.lowerBound)
                    countLines(p..<range.lowerBound, record: true)
                    tokens[index].withUnsafeBufferPointer { token in _ = memcpy(buffer.baseAddress! + at, token.baseAddress!, token.count) }
                    at += tokens[index].count
                    countLines(range, record: false)
                    p = range.upperBound
                }
                copy(p..<original.count)
                countLines(p..<original.count, record: true)
                return at
            }
        }
        return (text, lines)
    }
}
