import Foundation

/// Writes recomputed numbers into the notes' `expected:` rows, in place: only those numbers
/// change, every other byte of the file stays as it was — its line endings (CRLF), a byte order
/// mark, and the file itself: a note that is a symbolic link has its target rewritten (the link
/// stays), with the target's permissions.
enum DoctestFix {
    /// - Returns: one line per rewritten number, `path:line:col: old → new`.
    static func apply(_ edits: [FixEdit]) throws -> [String] {
        var applied: [String] = []
        for (path, fileEdits) in Dictionary(grouping: edits, by: \.path).sorted(by: { $0.key < $1.key }) {
            guard let bytes = SiteFile.contents(of: path) else {
                throw Diagnostic(path, stage: .fix, "cannot read the file to fix it")
            }
            // Lines cut at each LF byte: a CR before it stays in its line, so CRLF is kept. (A
            // Swift string splits CRLF as one character, which no "\n" matches: every edit of a
            // CRLF note fell past the file's one "line".)
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            // From the end, so earlier positions stay valid.
            for edit in fileEdits.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
                guard edit.line >= 1, edit.line <= lines.count else {
                    throw Diagnostic(path, line: edit.line, column: edit.column, stage: .fix, "line \(edit.line) is not in the file")
                }
                var scalars = Array(String(decoding: lines[edit.line - 1], as: UTF8.self).unicodeScalars)
                let old = Array(edit.old.unicodeScalars)
                // The number stands at its YAML column; an indented block shifts it right.
                guard let start = (max(0, edit.column - 1)..<scalars.count).first(where: { k in
                    k + old.count <= scalars.count && Array(scalars[k..<(k + old.count)]) == old
                }) else {
                    throw Diagnostic(path, line: edit.line, column: edit.column, stage: .fix, "cannot find '\(edit.old)' to replace")
                }
                scalars.replaceSubrange(start..<(start + old.count), with: Array(edit.new.unicodeScalars))
                var line = String.UnicodeScalarView()
                line.append(contentsOf: scalars)
                lines[edit.line - 1] = Array(String(line).utf8)
                applied.append("\(path):\(edit.line):\(start + 1): \(edit.old) → \(edit.new)")
            }
            let fixed = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            do {
                try SiteFile.rewrite(path, with: fixed)
            } catch {
                throw Diagnostic(path, stage: .fix, "cannot write the fixed file: \(FileError.cause(error))")
            }
        }
        return applied.sorted()
    }
}
