/// A function of vectors called with arrays of other names: `d(a, n)` for
/// `d(u, v) = \Bigl(\sum_k \lvert u_k - v_k \rvert^p\Bigr)^{1/p}` reads the arrays a and n where
/// its body writes u and v (`u_k` as `a_k`), as a call by name. An argument passes an array so when
/// it is a name without subscript that a bound array holds and the scope does not.
extension Evaluator {
    /// The array an argument passes by name, if it does.
    func arrayArgument(_ argument: TeXExpression, scope: Scope) -> SymbolReference? {
        guard case let .symbol(reference) = argument, reference.subscriptText == nil, scope[reference.fullName] == nil,
              case .array? = values[reference.stem] else { return nil }
        return reference
    }

    /// `body` with every symbol whose name is a key of `renames` (any subscripts kept) read as the
    /// array named by its value.
    static func renaming(_ body: TeXExpression, _ renames: [String: SymbolReference]) -> TeXExpression {
        body.mapSymbols { reference in
            guard reference.label == nil, let array = renames[reference.base] else { return nil }
            var renamed = reference
            renamed.base = array.base
            renamed.label = array.label
            return .symbol(renamed)
        }
    }
}
