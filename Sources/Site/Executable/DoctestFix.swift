import Foundation

/// Writes recomputed numbers into the notes' `expected:` rows, in place: only those numbers
/// change, every other byte of the file stays as it was.
enum DoctestFix {
    /// - Returns: one line per rewritten number, `path:line:col: old → new`.
    static func apply(_ edits: [FixEdit]) throws -> [String] {
        var applied: [String] = []
        for (path, fileEdits) in Dictionary(grouping: edits, by: \.path).sorted(by: { $0.key < $1.key }) {
            guard var text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Diagnostic(path, stage: .fix, "cannot read the file to fix it")
            }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // From the end, so earlier positions stay valid.
            for edit in fileEdits.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
                guard edit.line >= 1, edit.line <= lines.count else {
                    throw Diagnostic(path, line: edit.line, column: edit.column, stage: .fix, "line \(edit.line) is not in the file")
                }
                var scalars = Array(lines[edit.line - 1].unicodeScalars)
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
                lines[edit.line - 1] = String(line)
                applied.append("\(path):\(edit.line):\(start + 1): \(edit.old) → \(edit.new)")
            }
            text = lines.joined(separator: "\n")
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw Diagnostic(path, stage: .fix, "cannot write the fixed file: \(error)")
            }
        }
        return applied.sorted()
    }
}
