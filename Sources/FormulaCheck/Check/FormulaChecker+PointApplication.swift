/// Keys that name a map's value at a grid position, `\phi_{n,c}(i)`, `d_g(q)`, `\phi(q)`: the
/// position becomes one more index, written so the rewrite keeps the formula's length (offsets
/// still point into it).
extension FormulaChecker {
    /// `X_{a,b}(q)` → `X_{a,b,q} ` (q one more index); `X_s(q)` (one-letter subscript) → `X_{sq}`,
    /// one name (bind it to `= X_s`, a map, which is then read at the q in scope); `X(q)` → `X_q `.
    /// Nil for any other key.
    static func pointApplication(_ key: String) -> (String, String)? {
        guard key.hasSuffix(")"), let open = key.lastIndex(of: "(") else { return nil }
        let point = key[key.index(after: open)..<key.index(before: key.endIndex)]
        guard point.count == 1, point.first!.isLetter else { return nil }
        let head = String(key[..<open])
        guard !head.isEmpty, !head.contains("("), !head.contains(" ") else { return nil }
        if head.hasSuffix("}"), head.contains("_{") {
            return (key, String(head.dropLast()) + "," + point + "} ")
        }
        if let underscore = head.lastIndex(of: "_") {
            let base = head[..<underscore], label = head[head.index(after: underscore)...]
            guard label.count == 1, label.first!.isLetter, !base.isEmpty else { return nil }
            return (key, "\(base)_{\(label)\(point)}")
        }
        guard head.first == "\\" || head.count == 1 else { return nil }
        return (key, "\(head)_\(point) ")
    }

    /// Keys that are a derivative, `\frac{\partial L_{HD}}{\partial s(q)}: = …` (a chain rule's
    /// factor, defined under where: as the prose gives it): each is read as one opaque name of the
    /// same length, `\mathrm{D…}`, in the formula and in the key.
    static func derivativeNames(_ binding: FormulaBinding) -> [(String, String)] {
        binding.symbols.enumerated().compactMap { k, entry in
            let key = entry.symbol.trimmingCharacters(in: .whitespaces)
            guard key.contains(#"\partial"#), key.count >= 12 else { return nil }
            let name = #"\mathrm{D"# + String(repeating: Character(UnicodeScalar(UInt8(97 + k % 26))), count: key.count - 10) + "}"
            return (key, name)
        }
    }
}
