import Foundation

/// Parses a token list into a `TeXExpression`: precedence relation < sum < product (explicit or
/// by juxtaposition) < power; `\sum`/`\prod` take the product that follows them as their body.
struct TeXParser {
    /// Multi-letter names written as consecutive letters (`TP`, `FN`): merged, longest first.
    var names: Set<String>
    /// Names defined by an equation with arguments (`\mathrm{BCE}(x, g)`): `name(…)` is a call.
    var functions: Set<String>

    private(set) var tokens: [TeXToken]
    var position = 0
    private var endOffset: Int
    /// Inside `|…|` (or `\lVert…\rVert`) a `|` closes instead of opening.
    private var openBars = 0
    private var openNorms = 0

    init(_ tokens: [TeXToken], names: Set<String> = [], functions: Set<String> = [], endOffset: Int? = nil) {
        self.tokens = tokens.compactMap(TeXParser.normalize)
        self.names = names
        self.functions = functions
        self.endOffset = endOffset ?? ((tokens.last?.offset ?? 0) + 1)
    }

    static let spacing: Set<String> = [",", ";", ":", "!", " ", "quad", "qquad", "left", "right", "middle",
                                       "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
                                       "displaystyle", "textstyle", "limits", "nolimits"]
    static let greek: Set<String> = ["alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
                                     "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "tau", "upsilon",
                                     "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
                                     "Pi", "Sigma", "Phi", "Psi", "Omega", "pi", "ell", "sigma"]
    static let styles: Set<String> = ["mathcal", "mathrm", "mathbf", "mathit", "mathbb", "mathsf", "boldsymbol", "bm",
                                      "operatorname", "mathscr", "mathfrak", "hat", "widehat", "tilde", "bar", "overline"]

    /// Drops spacing and sizing commands; spells delimiters one way.
    private static func normalize(_ token: TeXToken) -> TeXToken? {
        guard let name = token.command else { return token }
        if spacing.contains(name) { return nil }
        switch name {
        case "{": return TeXToken(.symbol("("), at: token.offset)
        case "}": return TeXToken(.symbol(")"), at: token.offset)
        case "lvert", "rvert", "vert": return TeXToken(.symbol("|"), at: token.offset)
        case "lbrack": return TeXToken(.symbol("["), at: token.offset)
        case "rbrack": return TeXToken(.symbol("]"), at: token.offset)
        case "|", "Vert": return TeXToken(.command("lVert"), at: token.offset)
        default: return token
        }
    }

    // MARK: - Entry points

    mutating func parseAll() throws -> TeXExpression {
        let expression = try parseConjunction()
        if position < tokens.count { throw unexpected(tokens[position]) }
        return expression
    }

    /// The tokens not yet parsed.
    var remaining: ArraySlice<TeXToken> { tokens[position...] }

    var peek: TeXToken? { position < tokens.count ? tokens[position] : nil }
    private var offset: Int { peek?.offset ?? endOffset }

    private func unexpected(_ token: TeXToken) -> FormulaError {
        FormulaError("unexpected \(Self.describe(token))", at: token.offset)
    }

    static func describe(_ token: TeXToken) -> String {
        switch token.kind {
        case let .command(name): return "'\\\(name)'"
        case let .letter(c): return "'\(c)'"
        case let .number(x): return "'\(x)'"
        case let .symbol(c): return "'\(c)'"
        case let .group(_, text): return "'{\(text)}'"
        case .subscriptMark: return "'_'"
        case .superscriptMark: return "'^'"
        case .alignment: return "'&'"
        case .rowBreak: return "'\\\\'"
        }
    }

    mutating func expectSymbol(_ c: Character, opening: TeXToken) throws {
        guard let token = peek, token.isSymbol(c) else {
            throw FormulaError("\(Self.describe(opening)) is not closed by '\(c)'", at: opening.offset)
        }
        position += 1
    }

    // MARK: - Precedence levels

    mutating func parseComparison() throws -> TeXExpression {
        let left = try parseAdditive()
        guard let token = peek, let relation = Self.relation(token) else { return left }
        position += 1
        return .comparison(relation, left, try parseAdditive())
    }

    static func relation(_ token: TeXToken) -> TeXExpression.Relation? {
        switch token.kind {
        case .symbol("<"): return .less
        case .symbol(">"): return .greater
        case .symbol("="): return .equal
        case let .command(name):
            switch name {
            case "le", "leq", "leqslant": return .lessOrEqual
            case "ge", "geq", "geqslant": return .greaterOrEqual
            case "ne", "neq": return .notEqual
            case "lt": return .less
            case "gt": return .greater
            default: return nil
            }
        default: return nil
        }
    }

    mutating func parseAdditive() throws -> TeXExpression {
        var result: TeXExpression
        if let token = peek, token.isSymbol("-") {
            position += 1
            result = .negate(try parseTerm())
        } else {
            if let token = peek, token.isSymbol("+") { position += 1 }
            result = try parseTerm()
        }
        while let token = peek {
            if let op = Self.setOperation(token) {
                position += 1
                result = .setOperation(op, result, try parseTerm(), offset: token.offset)
                continue
            }
            guard token.isSymbol("+") || token.isSymbol("-") else { break }
            position += 1
            let right = try parseTerm()
            result = .binary(token.isSymbol("+") ? .add : .subtract, result, right, offset: token.offset)
        }
        return result
    }

    /// A product: factors joined by `\cdot`, `\times`, `/` or nothing.
    private mutating func parseTerm() throws -> TeXExpression {
        var result = try parseFactor()
        while let token = peek {
            if token.command == "cdot" || token.command == "times" {
                position += 1
                result = .binary(.multiply, result, try parseFactor(), offset: token.offset)
            } else if token.command == "ominus", case let .symbol(map) = result {
                result = .symbol(try parseErosion(of: map))
            } else if let name = Correlation.operatorName(token) {
                // `w \star x`, `B * f`: the kernel on the left, the map it slides over on the right.
                position += 1
                result = .call(name, [result, try parseFactor()], offset: token.offset)
            } else if token.isSymbol("/") {
                position += 1
                result = .binary(.divide, result, try parseFactor(), offset: token.offset)
            } else if startsFactor(token) {
                result = .binary(.multiply, result, try parseFactor(), offset: token.offset)
            } else {
                break
            }
        }
        return result
    }

    private func startsFactor(_ token: TeXToken) -> Bool {
        switch token.kind {
        case .number, .letter, .group: return true
        case .symbol("("), .symbol("["): return true
        case .symbol("|"): return openBars == 0
        case let .command(name):
            if name == "rVert" || name == "end" || name == "cdot" || name == "times" || name == "rfloor" || name == "rceil" { return false }
            if name == "lVert" { return openNorms == 0 }
            if Self.setOperation(token) != nil || Self.ellipses.contains(name) { return false }
            if name == "text" && atConjunction { return false }
            return Self.relation(token) == nil
        default: return false
        }
    }

    mutating func parseFactor() throws -> TeXExpression {
        var base = try parsePrimary()
        while let token = peek, token.kind == .superscriptMark {
            position += 1
            base = .power(base, try parseArgument(after: token))
        }
        return base
    }

    /// A `{…}` group or a single token, as after `^` or `\frac`.
    private mutating func parseArgument(after mark: TeXToken) throws -> TeXExpression {
        guard let token = peek else { throw FormulaError("\(Self.describe(mark)) has no argument", at: mark.offset) }
        position += 1
        if case let .group(inner, _) = token.kind {
            var parser = TeXParser(inner, names: names, functions: functions, endOffset: token.offset)
            return try parser.parseAll()
        }
        var parser = TeXParser([token], names: names, functions: functions, endOffset: token.offset)
        return try parser.parseAll()
    }

    // MARK: - Primaries

    private mutating func parsePrimary() throws -> TeXExpression {
        guard let token = peek else { throw FormulaError("the formula ends where a value is expected", at: endOffset) }
        switch token.kind {
        case let .number(x):
            position += 1
            return .number(x)
        case .letter:
            return try parseCallOrSymbol(try parseSymbol())
        case let .group(inner, _):
            position += 1
            var parser = TeXParser(inner, names: names, functions: functions, endOffset: token.offset)
            return try parser.parseAll()
        case .symbol("(") where startsOrderedPrefix:
            return try parseOrderedPrefix(token)
        case .symbol("("), .symbol("["):
            position += 1
            var inner = try parseConjunction()
            while token.isSymbol("["), case .comparison = inner, let comma = peek, comma.isSymbol(",") {
                // `[l'_s \ne b,\ l'_s \ne l'_{s-2}]`: an Iverson bracket of several conditions holds when all do.
                position += 1
                inner = .binary(.multiply, inner, try parseConjunction(), offset: comma.offset)
            }
            try expectSymbol(token.isSymbol("(") ? ")" : "]", opening: token)
            if case var .symbol(term) = inner, term.order != nil, let mark = peek, mark.kind == .subscriptMark, position + 1 < tokens.count {
                // `(f \ominus_k B)_i`: the term read at i.
                term.point = Self.sourceText(tokens[position + 1])
                position += 2
                return .symbol(term)
            }
            if let mark = peek, mark.kind == .subscriptMark, position + 1 < tokens.count, case .letter = tokens[position + 1].kind {
                // `\bigl(w^\top g + 2x_j\,w^\top h\bigr)_j`: a map read at the index j, which its terms
                // read from the scope where j is bound (the gradient's element): the subscript restates it.
                position += 2
            }
            return token.isSymbol("[") ? positivePart(inner) : inner
        case .symbol("|") where openBars == 0:
            position += 1
            openBars += 1
            let inner = try parseAdditive()
            openBars -= 1
            try expectSymbol("|", opening: token)
            return .function(.abs, [inner], offset: token.offset)
        case let .command(name):
            return try parseCommand(name, token)
        default:
            throw unexpected(token)
        }
    }

    private mutating func parseCommand(_ name: String, _ token: TeXToken) throws -> TeXExpression {
        switch name {
        case "frac", "tfrac", "dfrac", "cfrac":
            position += 1
            let numerator = try parseArgument(after: token)
            let denominator = try parseArgument(after: token)
            return .binary(.divide, numerator, denominator, offset: token.offset)
        case "sqrt":
            position += 1
            return .function(.sqrt, [try parseArgument(after: token)], offset: token.offset)
        case "sum", "prod":
            return try parseBigOperator(name == "sum" ? .sum : .product, token)
        case "log", "ln", "exp", "tanh", "cosh", "sinh", "arctan", "tan":
            position += 1
            return .function(MathFunction.named(name)!, [try parseFactor()], offset: token.offset)
        case "max", "min":
            if position + 1 < tokens.count && tokens[position + 1].kind == .subscriptMark {
                return try parseBigOperator(name == "max" ? .maximum : .minimum, token)
            }
            position += 1
            if let open = peek, !open.isSymbol("(") {
                // `\min r` of a map r: its smallest value over the grid (`Evaluator+Sequences`).
                return .call("\\" + name, [try parseFactor()], offset: token.offset)
            }
            return .function(name == "max" ? .max : .min, try parseArgumentList(name, token), offset: token.offset)
        case "sigma" where position + 1 < tokens.count && tokens[position + 1].isSymbol("("):
            position += 1
            return .function(.sigmoid, [try parseFactor()], offset: token.offset)
        case "infty":
            position += 1
            return .number(.infinity)
        case "lfloor", "lceil":
            return try parseRounding(name, token)
        case "lVert" where openNorms == 0:
            position += 1
            openNorms += 1
            let inner = try parseAdditive()
            openNorms -= 1
            guard let close = peek, close.command == "rVert" || close.command == "lVert" else {
                throw FormulaError("'\\lVert' is not closed by '\\rVert'", at: token.offset)
            }
            position += 1
            var p = 2.0
            if let mark = peek, mark.kind == .subscriptMark {
                position += 1
                guard case let .number(value) = try parseArgument(after: mark), value >= 1 else {
                    throw FormulaError("a norm's subscript must be a number p ≥ 1 or \\infty", at: mark.offset)
                }
                p = value
            }
            return .norm(inner, p: p, offset: token.offset)
        case "begin":
            return try parseCases(token)
        case "lnot", "neg":
            // A mask's complement: 1 where the mask is 0, else 0.
            position += 1
            return .comparison(.equal, try parseFactor(), .number(0))
        case "text" where names.contains("\\text{\(groupText(at: position + 1) ?? "")}"):
            // A parameter written as a word (`\text{margin}`) and bound under where:.
            return try parseCallOrSymbol(try parseSymbol())
        case "text", "textrm", "mbox", "texttt":
            throw FormulaError("cannot evaluate '\\\(name){\(groupText(at: position + 1) ?? "")}'", at: token.offset,
                               hint: "text belongs in a `cases` condition (\\text{if}, \\text{otherwise}) or a subscript label")
        case _ where Self.styles.contains(name):
            let text = groupText(at: position + 1) ?? ""
            if name == "operatorname" || name == "mathrm", let function = MathFunction.named(text) {
                position += 2
                if function == .clip { return .function(function, try parseArgumentList(text, token), offset: token.offset) }
                return .function(function, [try parseFactor()], offset: token.offset)
            }
            if (name == "mathbb" || name == "mathbf") && (text == "1" || text == "I") {
                return try parseIndicator(token)
            }
            if name == "operatorname" && text == "mean", position + 2 < tokens.count, tokens[position + 2].kind == .subscriptMark {
                return try parseMean(token)
            }
            if name == "operatorname" && FieldFunction.names[text] != nil {
                return try parseFieldCall(text, token)
            }
            if name == "operatorname" && !functions.contains("\\operatorname{\(text)}") {
                throw FormulaError("cannot evaluate '\\operatorname{\(text)}'", at: token.offset,
                                   hint: "known functions: \(MathFunction.allCases.map(\.rawValue).joined(separator: ", ")); "
                                       + "or define it in an equation of the formula, or add a macro")
            }
            return try parseCallOrSymbol(try parseSymbol())
        case _ where Self.greek.contains(name) || functions.contains("\\" + name) || name == "emptyset" || name == "varnothing":
            // A Greek letter, or a command the formula defines as a function (`\cos(a, b) = …`).
            return try parseCallOrSymbol(try parseSymbol())
        default:
            throw FormulaError("cannot evaluate '\\\(name)'", at: token.offset,
                               hint: "not in the supported TeX subset; give it as a macro or rewrite it")
        }
    }

    private func groupText(at index: Int) -> String? {
        guard index < tokens.count, case let .group(_, text) = tokens[index].kind else { return nil }
        return text
    }

    /// `\mathbb{1}[c = y_i]`, `\mathbb{1}_{x > 0}`, `\mathbb{1}(…)`: the condition's 1 or 0.
    private mutating func parseIndicator(_ token: TeXToken) throws -> TeXExpression {
        position += 2
        guard let next = peek else { throw FormulaError("'\\mathbb{1}' has no condition", at: token.offset) }
        if next.kind == .subscriptMark {
            position += 1
            return try parseArgument(after: next)
        }
        guard next.isSymbol("[") || next.isSymbol("(") else {
            throw FormulaError("'\\mathbb{1}' must be followed by [condition] or _{condition}", at: token.offset)
        }
        if let membership = try parseMembership() { return membership }
        return try parsePrimary()
    }

    /// `\{i \in K\}`, `\{(n,i) \in K\}` at the position, an indicator's membership condition (Dice +
    /// TopK's gradient): read as a `cases` condition is; nil, nothing consumed, for any other bracket.
    private mutating func parseMembership() throws -> TeXExpression? {
        var depth = 0
        for j in position..<tokens.count {
            if tokens[j].isSymbol("(") || tokens[j].isSymbol("[") { depth += 1 }
            if tokens[j].isSymbol(")") || tokens[j].isSymbol("]") { depth -= 1 }
            guard depth == 0 else { continue }
            let inner = Array(tokens[(position + 1)..<j])
            let tuple = Self.indexTuple(inner)?.1 ?? 1
            guard inner.count > tuple + 1, inner[tuple].command == "in" || inner[tuple].command == "notin" else { return nil }
            let condition = try Self.caseCondition(inner, names: names, functions: functions, endOffset: tokens[j].offset)
            position = j + 1
            return condition
        }
        return nil
    }

    // MARK: - Symbols

    /// A name with its subscript and label: `p_{n,c,i}`, `\alpha_c`, `TP`, `\ell_i^{\text{softmax}}`.
    mutating func parseSymbol() throws -> SymbolReference {
        let token = tokens[position]
        var base: String
        switch token.kind {
        case let .letter(c):
            base = String(c)
            // Longest run of letters that is a known multi-letter name.
            var run = ""
            var j = position
            var best: (String, Int)?
            while j < tokens.count, case let .letter(d) = tokens[j].kind {
                run.append(d)
                j += 1
                if run.count > 1 && names.contains(run) { best = (run, j) }
            }
            if let (name, end) = best { base = name; position = end } else { position += 1 }
        case let .command(name) where Self.styles.contains(name) || name == "text":
            guard let text = groupText(at: position + 1) else {
                throw FormulaError("'\\\(name)' needs a braced argument", at: token.offset)
            }
            base = "\\\(name){\(text)}"
            position += 2
        case let .command(name):
            base = "\\" + name
            position += 1
        default:
            throw unexpected(token)
        }
        // A prime is part of the name: `\Omega'`, the grid a valid correlation leaves.
        while let prime = peek, prime.isSymbol("'") { base += "'"; position += 1 }
        var reference = SymbolReference(base: base, offset: token.offset)
        while let mark = peek {
            if mark.kind == .subscriptMark, reference.subscriptText == nil {
                position += 1
                guard let argument = peek else { throw FormulaError("'_' has no subscript", at: mark.offset) }
                position += 1
                let inner: [TeXToken]
                switch argument.kind {
                case let .group(tokens, text):
                    inner = tokens
                    reference.subscriptText = text.filter { !$0.isWhitespace }
                default:
                    inner = [argument]
                    reference.subscriptText = Self.sourceText(argument)
                }
                reference.subscripts = try? Self.commaSeparated(inner, names: names, functions: functions)
            } else if mark.kind == .superscriptMark, reference.order == nil, position + 1 < tokens.count,
                      let order = try Self.sequenceOrder(tokens[position + 1], names: names, functions: functions) {
                position += 2
                reference.order = order
                reference.label = Self.termLabel
            } else if mark.kind == .superscriptMark, position + 1 < tokens.count,
                      let label = Self.label(tokens[position + 1]) ?? superscriptName(tokens[position + 1]) {
                position += 2
                reference.label = label
            } else {
                break
            }
        }
        return reference
    }

    /// A superscript that names rather than raises: `^{\text{softmax}}`.
    private static func label(_ token: TeXToken) -> String? {
        // `^{\top}`, `^\top`: the transpose, named (`\varphi_l^{\top}`, defined under where:).
        if token.command == "top" { return #"\top"# }
        if case let .group(inner, _) = token.kind, inner.count == 1, inner[0].command == "top" { return #"\top"# }
        guard case let .group(inner, text) = token.kind, inner.count == 2,
              let command = inner[0].command, ["text", "mathrm", "textrm"].contains(command) else { return nil }
        return text.filter { !$0.isWhitespace }
    }

    static func sourceText(_ token: TeXToken) -> String {
        switch token.kind {
        case let .letter(c): return String(c)
        case let .number(x): return x == x.rounded() ? String(Int(x)) : String(x)
        case let .command(name): return "\\" + name
        case let .symbol(c): return String(c)
        case let .group(_, text): return text
        default: return ""
        }
    }

    static func commaSeparated(_ tokens: [TeXToken], names: Set<String>, functions: Set<String>) throws -> [TeXExpression] {
        try split(tokens, at: { $0.isSymbol(",") }).map {
            var parser = TeXParser($0, names: names, functions: functions)
            return try parser.parseAll()
        }
    }

    /// `(a, b, …)` after a function's name (`\max`, `\operatorname{clip}`), the name already read.
    private mutating func parseArgumentList(_ name: String, _ token: TeXToken) throws -> [TeXExpression] {
        guard let open = peek, open.isSymbol("(") else {
            throw FormulaError("'\\\(name)' needs its arguments in parentheses, e.g. \\\(name)(0, x)", at: token.offset)
        }
        position += 1
        var arguments = [try parseComparison()]
        while let comma = peek, comma.isSymbol(",") { position += 1; arguments.append(try parseComparison()) }
        try expectSymbol(")", opening: open)
        return arguments
    }

    /// Splits at separators outside parentheses and brackets (groups are already nested).
    static func split(_ tokens: [TeXToken], at separator: (TeXToken) -> Bool) -> [[TeXToken]] {
        var parts: [[TeXToken]] = [[]]
        var depth = 0
        for token in tokens {
            // `\{`…`\}` too, unnormalized: a set's commas (`\{\pi(1), \dots, \pi(k)\}`) separate nothing outside it.
            if token.isSymbol("(") || token.isSymbol("[") || token.command == "begin" || token.command == "{"
                || token.command == "lVert" && depth == 0 { depth += 1 }
            if token.isSymbol(")") || token.isSymbol("]") || token.command == "end" || token.command == "}" || token.command == "rVert" { depth -= 1 }
            if depth == 0 && separator(token) { parts.append([]) } else { parts[parts.count - 1].append(token) }
        }
        return parts
    }

    /// `\mathrm{BCE}(x, g)` where `\mathrm{BCE}` is defined with arguments is a call; so is `m_j(c)`
    /// at another index j (a name or a number) where `m_i(c) = …` is defined (`Evaluator.indexedApplication`; a
    /// subscript that is an expression, `m_{\pi(k)}\,(…)`, is a product); otherwise a symbol.
    private mutating func parseCallOrSymbol(_ reference: SymbolReference) throws -> TeXExpression {
        if reference.order != nil, let point = termPoint() {
            var term = reference
            term.point = point
            return .symbol(term)
        }
        let indexedFunction = functions.contains(reference.stem)
            && reference.subscriptText.map { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || ",+-_".contains($0) } } == true
        if reference.label == #"\top"#, functions.contains(reference.fullName), let next = peek, !next.isSymbol("("), startsFactor(next) {
            // `w^\top g_\mu`: a transposed operator, defined under where: as a function
            // (`w^{\top}(e): = w * e`), applied to the factor it stands before.
            return .call(reference.fullName, [try parseFactor()], offset: reference.offset)
        }
        if functions.contains(reference.fullName), let mark = peek, mark.kind == .superscriptMark, position + 2 < tokens.count,
           tokens[position + 2].isSymbol("(") {
            // `E^{k}(x)`: an operator bound under where: applied k times, read as the call E(x, k)
            // (`Evaluator.evaluate(field:times:)`).
            position += 1
            let times = try parseArgument(after: mark)
            let open = tokens[position]
            position += 1
            let argument = try parseComparison()
            try expectSymbol(")", opening: open)
            return .call(reference.fullName, [argument, times], offset: reference.offset)
        }
        guard functions.contains(reference.fullName) || indexedFunction, let open = peek, open.isSymbol("(") else { return .symbol(reference) }
        position += 1
        var arguments = [try parseComparison()]
        while let comma = peek, comma.isSymbol(",") { position += 1; arguments.append(try parseComparison()) }
        try expectSymbol(")", opening: open)
        return .call(reference.fullName, arguments, offset: reference.offset)
    }

    // MARK: - Sums, products, cases

    mutating func parseBigOperator(_ op: TeXExpression.BigOperator, _ token: TeXToken) throws -> TeXExpression {
        position += 1
        var indices: [String] = []
        var lower: TeXExpression?, upper: TeXExpression?, condition: TeXExpression?
        while let mark = peek, mark.kind == .subscriptMark || mark.kind == .superscriptMark {
            position += 1
            guard let argument = peek else { throw FormulaError("'\\\(op)' has an empty limit", at: mark.offset) }
            position += 1
            let inner: [TeXToken]
            if case let .group(tokens, _) = argument.kind { inner = tokens } else { inner = [argument] }
            if mark.kind == .superscriptMark {
                var parser = TeXParser(inner, names: names, functions: functions, endOffset: argument.offset)
                upper = try parser.parseAll()
                continue
            }
            let filtered = inner.compactMap(TeXParser.normalize)
            if let colon = filtered.firstIndex(where: { $0.isSymbol(":") || $0.command == "mid" }) {
                indices = try Self.indexNames(Array(filtered[..<colon]), op: op)
                var parser = TeXParser(Array(filtered[(colon + 1)...]), names: names, functions: functions, endOffset: argument.offset)
                condition = try parser.parseAll()
            } else if let equals = filtered.firstIndex(where: { $0.isSymbol("=") }) {
                indices = try Self.indexNames(Array(filtered[..<equals]), op: op)
                var parser = TeXParser(Array(filtered[(equals + 1)...]), names: names, functions: functions, endOffset: argument.offset)
                lower = try parser.parseAll()
            } else if let (members, relation) = try Self.indexCondition(filtered, names: names, functions: functions) {
                indices = members
                condition = relation
            } else if let member = filtered.first(where: { $0.command == "in" }) {
                throw FormulaError("cannot evaluate a \(op.rawValue) over a set", at: member.offset,
                                   hint: "write the range as _{i=1}^{n}, or _{i} for the whole axis, or _{i: condition}")
            } else {
                indices = try Self.indexNames(filtered, op: op)
            }
        }
        guard !indices.isEmpty else {
            throw FormulaError("'\(op.rawValue)' needs an index, e.g. \(op.rawValue)_i", at: token.offset)
        }
        if upper != nil && lower == nil { lower = .number(1) }
        if lower != nil && indices.count > 1 {
            throw FormulaError("limits on a \(op.rawValue) over several indices", at: token.offset)
        }
        let body: TeXExpression
        if let minus = peek, minus.isSymbol("-") {
            position += 1
            body = .negate(try parseTerm())
        } else {
            body = try parseTerm()
        }
        return .bigOperator(op, indices: indices, lower: lower, upper: upper, condition: condition, body: body, offset: token.offset)
    }

    private static func indexNames(_ tokens: [TeXToken], op: TeXExpression.BigOperator) throws -> [String] {
        try split(tokens, at: { $0.isSymbol(",") }).map { part in
            // A Greek letter names an index too (`\sum_{\pi \in \mathcal{B}^{-1}(y_n)}`, a sum over paths).
            if part.count == 1, let greek = part[0].command, Self.greek.contains(greek) { return "\\" + greek }
            let letters = part.compactMap { token -> Character? in
                if case let .letter(c) = token.kind { return c }
                return nil
            }
            guard !letters.isEmpty, letters.count == part.count else {
                throw FormulaError("'\(op.rawValue)' index must be a name", at: part.first?.offset)
            }
            return String(letters)
        }
    }

    private mutating func parseCases(_ token: TeXToken) throws -> TeXExpression {
        guard groupText(at: position + 1) == "cases" else {
            throw FormulaError("cannot evaluate '\\begin{\(groupText(at: position + 1) ?? "")}'", at: token.offset,
                               hint: "only the cases environment is supported")
        }
        position += 2
        var body: [TeXToken] = []
        var depth = 0
        while true {
            guard let next = peek else { throw FormulaError("'\\begin{cases}' has no '\\end{cases}'", at: token.offset) }
            position += 1
            if next.command == "begin" { depth += 1 }
            if next.command == "end" {
                if depth == 0 { position += 1; break }
                depth -= 1
            }
            body.append(next)
        }
        var rows: [TeXExpression.CaseRow] = []
        for row in Self.split(body, at: { $0.kind == .rowBreak }) where !row.isEmpty {
            let columns = Self.split(row, at: { $0.kind == .alignment })
            // `1, & r > 0`: the comma that ends the value is punctuation.
            var valueTokens = columns[0]
            while columns.count > 1, let last = valueTokens.last, TeXParser.normalize(last) == nil || last.isSymbol(",") || last.isSymbol(";") {
                valueTokens.removeLast()
            }
            var value = TeXParser(valueTokens, names: names, functions: functions, endOffset: token.offset)
            var condition: TeXExpression?
            if columns.count > 1 {
                var tokens = columns[1].compactMap(TeXParser.normalize)
                let words = tokens.first.flatMap { $0.command == "text" ? groupText(in: tokens, at: 1) : nil }
                let word = words?.trimmingCharacters(in: .whitespaces).lowercased()
                if word == "otherwise" || word == "else" {
                    tokens = []
                } else if let word, ["if", "for", "when"].contains(word) {
                    tokens.removeFirst(2)
                }
                while let last = tokens.last, last.isSymbol(",") || last.isSymbol(".") || last.isSymbol(";") { tokens.removeLast() }
                if !tokens.isEmpty {
                    condition = try Self.caseCondition(tokens, names: names, functions: functions, endOffset: token.offset)
                }
            }
            rows.append(.init(value: try value.parseAll(), condition: condition))
        }
        return .cases(rows, offset: token.offset)
    }

    private func groupText(in tokens: [TeXToken], at index: Int) -> String? {
        guard index < tokens.count, case let .group(_, text) = tokens[index].kind else { return nil }
        return text
    }
}

