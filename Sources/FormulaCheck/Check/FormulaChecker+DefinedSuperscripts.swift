/// Names the formula itself defines in the notes' notation, `D_i^c = \begin{cases} … \end{cases}`
/// beside keys `s_i^c`, `g_i^c`: their superscripts are indices as the keys' are.
extension FormulaChecker {
    /// The stems of the formula's left sides written `D_i^c` (one index letter, a letter superscript),
    /// when the keys already write indices so (`keyed` is not empty); none otherwise, so that a
    /// label such as `L_{TopK}^{t}` in a formula without such keys stays a label.
    static func definedIndexSuperscripts(_ formula: [String], keyed: Set<String>, macros: [String: String]) throws -> Set<String> {
        guard !keyed.isEmpty else { return [] }
        var stems: Set<String> = []
        for tex in formula {
            let tokens = try TeXLexer(macros: macros).tokens(tex)
            let pieces = TeXParser.split(tokens) { $0.command == "qquad" || $0.command == "quad" || $0.isSymbol(",") }
            for piece in pieces {
                let sides = TeXParser.split(piece) { $0.isSymbol("=") }
                guard sides.count >= 2 else { continue }
                let lhs = sides[0].filter { !TeXParser.spacing.contains($0.command ?? "") }
                // One index letter below (`D_i^c`), not a name (`L_{TopK}^{t}`, a label).
                guard lhs.count == 5, case .letter = lhs[2].kind else { continue }
                if let stem = indexSuperscriptStem(lhs) { stems.insert(stem) }
            }
        }
        return stems
    }
}
