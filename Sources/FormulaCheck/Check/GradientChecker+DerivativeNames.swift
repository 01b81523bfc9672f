import Foundation

/// A derivative other than the gradient itself, read as a name: in
/// `\frac{\partial L_{pGD}}{\partial s_i^c} = \frac{\partial L_{pGD}}{\partial L_{GD}}\,\frac{\partial L_{GD}}{\partial s_i^c}`
/// the two factors are quantities of the chain rule, each defined by an equation of the formula
/// (`\frac{\partial L_{pGD}}{\partial L_{GD}} = …`) or under `where:` (the GD gradient). Such a
/// derivative is rewritten to a plain name of the same length (offsets still point into the
/// formula), indexed by the gradient's element indices its denominator carries (`s_i^c` → i, c).
///
/// Only a derivative that is both used (written where no `=` follows it) and defined (a `where:`
/// key, or followed by `=`) is rewritten: a remark such as a second derivative, and the
/// gradient's own left side, stay as they are, so `GradientChecker` still finds the gradient.
extension GradientChecker {
    static func derivativeNames(_ formulas: [String], _ binding: GradientBinding) -> ([String], GradientBinding) {
        let keys = Set(binding.value.symbols.map { squeezed($0.symbol) })
        var found: [String] = []
        for text in formulas + binding.value.symbols.map(\.source) {
            for (derivative, _) in derivatives(in: text) where !found.contains(derivative) { found.append(derivative) }
        }
        var rewrites: [(from: String, to: String)] = []
        for derivative in found {
            var used = false, defined = keys.contains(squeezed(derivative))
            for text in formulas + binding.value.symbols.map(\.source) {
                for (occurrence, end) in derivatives(in: text) where occurrence == derivative {
                    if text[end...].drop(while: \.isWhitespace).first == "=" { defined = true } else { used = true }
                }
            }
            guard used, defined else { continue }
            let name = Self.derivativeName(rewrites.count, indices: indices(ofDenominator: derivative, binding.elements))
            guard name.count <= derivative.count else { continue }
            rewrites.append((derivative, name + String(repeating: " ", count: derivative.count - name.count)))
        }
        guard !rewrites.isEmpty else { return (formulas, binding) }
        func rewrite(_ text: String) -> String { rewrites.reduce(text) { $0.replacingOccurrences(of: $1.from, with: $1.to) } }
        var out = binding
        out.value.symbols = binding.value.symbols.map { entry in
            let key = rewrites.first { squeezed($0.from) == squeezed(entry.symbol) }.map { $0.to.trimmingCharacters(in: .whitespaces) }
            return (symbol: key ?? entry.symbol, source: rewrite(entry.source))
        }
        return (formulas.map(rewrite), out)
    }

    /// `\mathscr{A}_{i,c}`, `\mathscr{B}`, …: names no formula of the site uses.
    static func derivativeName(_ k: Int, indices: [String]) -> String {
        let letter = Character(UnicodeScalar(UInt8(65 + k % 26)))
        return "\\mathscr{\(letter)}" + (indices.isEmpty ? "" : "_{\(indices.joined(separator: ","))}")
    }

    /// Every `\frac{\partial …}{\partial …}` of `text` (as written), and every `\partial u/\partial v`
    /// (SSIM's `\partial(ls)/\partial\mu_x`, v a name with its sub- and superscripts or a
    /// parenthesised expression), with the index just after it.
    static func derivatives(in text: String) -> [(String, String.Index)] {
        var out: [(String, String.Index)] = slashDerivatives(in: text)
        var search = text.startIndex
        while let start = text.range(of: #"\frac{\partial"#, range: search..<text.endIndex) {
            var index = text.index(start.lowerBound, offsetBy: 5)
            var groups = 0
            while groups < 2, index < text.endIndex, text[index] == "{", let end = groupEnd(text, from: index) {
                groups += 1
                index = end
            }
            if groups == 2, text[text.index(start.lowerBound, offsetBy: 5)..<index].components(separatedBy: #"\partial"#).count == 3 {
                out.append((String(text[start.lowerBound..<index]), index))
            }
            search = text.index(after: start.lowerBound)
        }
        return out
    }

    /// `\partial u/\partial v` in `text`: u without `=` or `/`, v as `slashDenominatorEnd` reads it.
    static func slashDerivatives(in text: String) -> [(String, String.Index)] {
        var out: [(String, String.Index)] = []
        var search = text.startIndex
        while let start = text.range(of: #"\partial"#, range: search..<text.endIndex) {
            search = start.upperBound
            // Not the `\partial` of a `\frac{\partial …}` (read above), nor a denominator's.
            if text[..<start.lowerBound].hasSuffix("{") || text[..<start.lowerBound].hasSuffix("/") { continue }
            guard let slash = text[start.upperBound...].firstIndex(where: { $0 == "/" || $0 == "=" }), text[slash] == "/",
                  text[text.index(after: slash)...].hasPrefix(#"\partial"#) else { continue }
            let denominator = text.index(slash, offsetBy: 9)
            guard let end = slashDenominatorEnd(text, from: denominator) else { continue }
            out.append((String(text[start.lowerBound..<end]), end))
            search = end
        }
        return out
    }

    /// The end of a derivative's variable at `start` (spaces skipped): `(…)` or `{…}` balanced, or a
    /// letter or command (`\mu`) with its `_…` and `^…`, each one token or a braced group.
    private static func slashDenominatorEnd(_ text: String, from start: String.Index) -> String.Index? {
        var index = start
        while index < text.endIndex, text[index] == " " { index = text.index(after: index) }
        guard index < text.endIndex else { return nil }
        func group(_ open: Character, _ close: Character, at i: String.Index) -> String.Index? {
            var depth = 0
            var j = i
            while j < text.endIndex {
                if text[j] == open { depth += 1 }
                if text[j] == close { depth -= 1; if depth == 0 { return text.index(after: j) } }
                j = text.index(after: j)
            }
            return nil
        }
        if text[index] == "(" { return group("(", ")", at: index) }
        if text[index] == "{" { return group("{", "}", at: index) }
        if text[index] == "\\" {
            index = text.index(after: index)
            while index < text.endIndex, text[index].isLetter { index = text.index(after: index) }
        } else if text[index].isLetter {
            index = text.index(after: index)
        } else {
            return nil
        }
        while index < text.endIndex, text[index] == "_" || text[index] == "^" {
            let next = text.index(after: index)
            guard next < text.endIndex else { return nil }
            if text[next] == "{" {
                guard let end = group("{", "}", at: next) else { return nil }
                index = end
            } else if text[next] == "\\" {
                index = text.index(after: next)
                while index < text.endIndex, text[index].isLetter { index = text.index(after: index) }
            } else {
                index = text.index(after: next)
            }
        }
        return index
    }

    /// The index after the `}` closing the group that opens at `open`.
    private static func groupEnd(_ text: String, from open: String.Index) -> String.Index? {
        var depth = 0
        var index = open
        while index < text.endIndex {
            if text[index] == "{" { depth += 1 }
            if text[index] == "}" { depth -= 1; if depth == 0 { return text.index(after: index) } }
            index = text.index(after: index)
        }
        return nil
    }

    /// The element indices the denominator's variable carries, as written: `\partial s_i^c` → i, c;
    /// `\partial L_{GD}` → none (GD is a label). An axis name counts too: with elements `n, j=c, i`,
    /// `\partial s_i^c` inside `\sum_c` (Dice + CE's chain through the softmax) keeps its c.
    static func indices(ofDenominator derivative: String, _ elements: [GradientBinding.Element]) -> [String] {
        guard let range = derivative.range(of: #"\partial"#, options: .backwards) else { return [] }
        // `\frac{…}{\partial v}` ends with the group's brace; `\partial u/\partial v` with v.
        let variable = derivative.hasPrefix(#"\frac"#) ? derivative[range.upperBound...].dropLast() : derivative[range.upperBound...]
        let names = Set(elements.flatMap { [$0.index, $0.axis] })
        var out: [String] = []
        var index = variable.startIndex
        while index < variable.endIndex {
            let c = variable[index]
            index = variable.index(after: index)
            guard c == "_" || c == "^", index < variable.endIndex else { continue }
            var part: Substring
            if variable[index] == "{", let close = variable[index...].firstIndex(of: "}") {
                part = variable[variable.index(after: index)..<close]
                index = variable.index(after: close)
            } else {
                part = variable[index...index]
                index = variable.index(after: index)
            }
            for piece in part.split(separator: ",") {
                let name = piece.trimmingCharacters(in: .whitespaces)
                if names.contains(name) { out.append(name) }
            }
        }
        return out
    }

    private static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }
}
