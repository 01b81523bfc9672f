/// The lines of the fenced code blocks that stand outside any container (a fence at most three
/// spaces in, no `>` or list marker before it), found by one byte scan: formula protection's
/// first guess at the verbatim lines, which the parse of the protected source then confirms or
/// corrects (``MarkdownDocument``). Most notes' code and HTML blocks are such blocks, so the
/// guess is usually right; a wrong one costs a second protection or parse, never a wrong page.
///
/// A fence is three or more `` ` `` or `~`; a backtick fence's info string holds no backtick; the
/// block closes at a line of the same character, at least as many, and nothing but blanks after
/// them, or at the end of the source.
enum FencedCodeLines {
    static func lines(in bytes: UnsafeBufferPointer<UInt8>) -> [ClosedRange<Int>] {
        var found: [ClosedRange<Int>] = []
        var open: (line: Int, fence: UInt8, length: Int)?
        var line = 1, p = 0
        let n = bytes.count
        while p < n {
            var end = p
            while end < n, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            if let fence = fenceRun(bytes, p, end) {
                if let current = open {
                    if fence.byte == current.fence, fence.length >= current.length, isBlank(bytes, fence.after, end) {
                        found.append(current.line...line)
                        open = nil
                    }
                } else if fence.byte == UInt8(ascii: "~") || !bytes[fence.after..<end].contains(UInt8(ascii: "`")) {
                    open = (line, fence.byte, fence.length)
                }
            }
            p = end + 1
            line += 1
        }
        if let current = open { found.append(current.line...max(current.line, line - 1)) }
        return found
    }

    /// A run of three or more `` ` `` or `~` after at most three spaces at the start of the line `start..<end`.
    private static func fenceRun(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (byte: UInt8, length: Int, after: Int)? {
        var p = start
        while p < end, p - start < 3, bytes[p] == UInt8(ascii: " ") { p += 1 }
        guard p < end, bytes[p] == UInt8(ascii: "`") || bytes[p] == UInt8(ascii: "~") else { return nil }
        let byte = bytes[p]
        var q = p
        while q < end, bytes[q] == byte { q += 1 }
        return q - p >= 3 ? (byte, q - p, q) : nil
    }

    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        bytes[start..<end].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }
}
