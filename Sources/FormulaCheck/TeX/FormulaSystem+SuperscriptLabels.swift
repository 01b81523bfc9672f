/// A left side whose name carries a superscript that tells variants apart rather than raising
/// to a power: `L_{TopK}^{t} = …` (TopK's threshold form, `t` the threshold) defines `L_{TopK}`.
/// Only after a subscripted name, and only letters (`^{t}`, `^w`), so that
/// `\sigma_x^2 = …` still squares (`FormulaSystem.square`) and an identity such as `e^{x} = …`
/// is not read as a definition of `e`; never an axis name (`D_i^c` with `c` an axis is an index,
/// not a label, and stays as it was read before).
extension FormulaSystem {
    /// `lhs` without a letter superscript after its subscripted name; `lhs` itself otherwise.
    static func withoutSuperscriptLabel(_ lhs: [TeXToken], axes: Set<String>) -> [TeXToken] {
        guard lhs.count == 5, lhs[1].kind == .subscriptMark, lhs[3].kind == .superscriptMark,
              isLetters(lhs[4]), !axes.contains(TeXParser.sourceText(lhs[4])) else { return lhs }
        switch lhs[0].kind {
        case .letter, .command: return Array(lhs.prefix(3))
        default: return lhs
        }
    }

    /// A letter, or a braced group of letters. (`^{\text{softmax}}` is a label the parser keeps in
    /// the name, `SymbolReference.label`: `\ell_i^{\text{softmax}}` and `\ell_i` are two names.)
    private static func isLetters(_ token: TeXToken) -> Bool {
        switch token.kind {
        case .letter: return true
        case let .group(inner, _):
            return !inner.isEmpty && inner.allSatisfy { if case .letter = $0.kind { return true } else { return false } }
        default: return false
        }
    }
}
