/// Turns TeX math into tokens, nesting braced groups and expanding macros.
///
/// Macros are plain replacements without arguments (`\R` → `\mathbb{R}`), as the site's
/// `math: macros:`; their tokens take the offset of the macro's use, so errors point at what
/// the author wrote.
///
/// `indexSuperscripts` names the symbols (`s`, `g`) whose superscript is an index rather than a
/// power, as in Ma et al.'s `s_i^c`: `s_i^c` is read as `s_{i,c}` (subscripts first), so
/// `(s_i^c)^2` squares it. A superscript that is a number stays a power.
public struct TeXLexer {
    public var macros: [String: String]
    public var indexSuperscripts: Set<String>

    public init(macros: [String: String] = [:], indexSuperscripts: Set<String> = []) {
        self.macros = macros
        self.indexSuperscripts = indexSuperscripts
    }

    /// Whether the next digit is an unbraced argument of a fraction (`\frac12`, `\tfrac1{2}`).
    static func takesDigitArgument(_ out: [TeXToken]) -> Bool {
        let fractions: Set<String> = ["frac", "tfrac", "dfrac"]
        if let name = out.last?.command { return fractions.contains(name) }
        guard out.count >= 2, case .number = out[out.count - 1].kind, let name = out[out.count - 2].command else { return false }
        return fractions.contains(name)
    }

    public func tokens(_ source: String) throws -> [TeXToken] {
        let characters = Array(source)
        var position = 0
        return try lex(characters, &position, closing: false, depth: 0)
    }

    private func lex(_ s: [Character], _ i: inout Int, closing: Bool, depth: Int,
                     macroOffset: Int? = nil) throws -> [TeXToken] {
        var out: [TeXToken] = []
        while i < s.count {
            let c = s[i]
            let offset = macroOffset ?? i
            switch c {
            case " ", "\t", "\n", "\r", "~":
                i += 1
            case "{":
                let start = i
                i += 1
                let inner = try lex(s, &i, closing: true, depth: depth, macroOffset: macroOffset)
                let text = String(s[(start + 1)..<(i - 1)])
                out.append(TeXToken(.group(inner, text: text), at: offset))
            case "}":
                guard closing else { throw FormulaError("unbalanced '}'", at: offset) }
                i += 1
                return mergingIndexSuperscripts(out)
            case "_": out.append(TeXToken(.subscriptMark, at: offset)); i += 1
            case "^": out.append(TeXToken(.superscriptMark, at: offset)); i += 1
            case "&": out.append(TeXToken(.alignment, at: offset)); i += 1
            case "\\":
                i += 1
                guard i < s.count else { throw FormulaError("a lone '\\' ends the formula", at: offset) }
                if s[i] == "\\" {
                    i += 1
                    skipDimension(s, &i)
                    out.append(TeXToken(.rowBreak, at: offset))
                } else if s[i].isLetter {
                    var name = ""
                    while i < s.count, s[i].isLetter, s[i].isASCII { name.append(s[i]); i += 1 }
                    if let replacement = macros[name] ?? macros["\\" + name] {
                        guard depth < 16 else { throw FormulaError("macro '\\\(name)' expands into itself", at: offset) }
                        var j = 0
                        out += try lex(Array(replacement), &j, closing: false, depth: depth + 1, macroOffset: offset)
                    } else {
                        out.append(TeXToken(.command(name), at: offset))
                    }
                } else {
                    out.append(TeXToken(.command(String(s[i])), at: offset))
                    i += 1
                }
            case _ where c.isNumber && c.isASCII && Self.takesDigitArgument(out):
                // `\frac12` is ½ in TeX: a fraction's unbraced arguments are one digit each.
                out.append(TeXToken(.number(Double(String(c))!), at: offset)); i += 1
            case _ where c.isNumber && c.isASCII || (c == "." && i + 1 < s.count && s[i + 1].isNumber):
                var text = ""
                while i < s.count, (s[i].isNumber && s[i].isASCII) || (s[i] == "." && !text.contains(".")) {
                    text.append(s[i]); i += 1
                }
                guard let value = Double(text) else { throw FormulaError("'\(text)' is not a number", at: offset) }
                out.append(TeXToken(.number(value), at: offset))
            case _ where c.isLetter:
                out.append(TeXToken(.letter(c), at: offset)); i += 1
            default:
                out.append(TeXToken(.symbol(c), at: offset)); i += 1
            }
        }
        if closing { throw FormulaError("unbalanced '{': no closing '}'", at: s.count) }
        return mergingIndexSuperscripts(out)
    }

    /// `s _ i ^ c` → `s _ {i,c}` for the symbols of `indexSuperscripts`.
    func mergingIndexSuperscripts(_ tokens: [TeXToken]) -> [TeXToken] {
        guard !indexSuperscripts.isEmpty else { return tokens }
        func parts(_ token: TeXToken) -> (tokens: [TeXToken], text: String)? {
            switch token.kind {
            case let .letter(c): return ([token], String(c))
            case let .group(inner, text): return (inner, text.filter { !$0.isWhitespace })
            default: return nil
            }
        }
        var out: [TeXToken] = []
        var k = 0
        while k < tokens.count {
            let name: String? = switch tokens[k].kind {
            case let .letter(c): String(c)
            case let .command(command): "\\" + command
            default: nil
            }
            if let name, indexSuperscripts.contains(name), k + 4 < tokens.count,
               tokens[k + 1].kind == .subscriptMark, tokens[k + 3].kind == .superscriptMark,
               let lower = parts(tokens[k + 2]), let upper = parts(tokens[k + 4]),
               upper.text.first?.isLetter == true, !upper.text.hasPrefix("\\") {
                let comma = TeXToken(.symbol(","), at: tokens[k + 3].offset)
                out += [tokens[k], tokens[k + 1],
                        TeXToken(.group(lower.tokens + [comma] + upper.tokens, text: lower.text + "," + upper.text), at: tokens[k + 2].offset)]
                k += 5
            } else {
                out.append(tokens[k])
                k += 1
            }
        }
        return out
    }

    /// `\\[4pt]`: the optional row spacing after a line break.
    private func skipDimension(_ s: [Character], _ i: inout Int) {
        var j = i
        while j < s.count, s[j] == " " { j += 1 }
        guard j < s.count, s[j] == "[", let close = s[j...].firstIndex(of: "]") else { return }
        let inside = String(s[(j + 1)..<close])
        if inside.allSatisfy({ $0.isNumber || $0 == "." || $0.isLetter || $0 == " " || $0 == "-" }) { i = close + 1 }
    }
}
