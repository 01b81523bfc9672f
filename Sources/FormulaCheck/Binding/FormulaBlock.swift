/// A note's fenced `formula` block: the TeX, then block-style `key: value` lines binding it to a loss.
///
/// ```` ```formula ````
/// ```
/// \ell_i = -\sum_{c=1}^{C} t_{i,c} \log p_{i,c}
/// check: cross-entropy
/// reduction: mean over i
/// where:
///   p_{i,c}: probability
///   t_{i,c}: target one-hot
///   C: size c
/// params:
///   label_smoothing: 0
/// ```
///
/// The TeX is every line before the first line (not indented) that starts with a key; it is
/// kept verbatim, newlines included, so an offset in it is an offset in the block's body.
/// Keys: `check` (the loss id, required), `where` (one `symbol: source` a line, indented),
/// `reduction` (`none`, `mean over i`, `sum over n,c`), `evaluate` (the defined name to compare,
/// default `FormulaSystem.mainName`), `params` (`name: value` lines: the setting to check at;
/// default the loss's defaults), `gradient` (the formula is a gradient, `\partial … = …`: the
/// indices its elements run over in the input's axis order, `i` or `n, c, i` or `i, j=c`; it is
/// compared with the library's analytic gradient, `GradientChecker`), `holds` (with `gradient`: one TeX
/// condition, `0 < p_i \text{ and } p_i < 1`, where the gradient formula holds; elements outside
/// it are skipped, `GradientBinding.holds`), `chain` (with `gradient`: a factor the formula is multiplied
/// by before the comparison, `= <TeX>` over the element indices, e.g. the prose's
/// `\partial m_i(c)/\partial s_i^c` when the formula differentiates by m, `GradientBinding.chain`).
/// `gradient: b, c, \pi_i` reads the formula at ranks of an ordering (`GradientBinding.Element`). Block style only: a flow mapping `{p_{i,c}: …}` would split at
/// the subscript's comma.
public struct FormulaBlock: Sendable, Equatable {
    public static let keys = ["check", "where", "reduction", "evaluate", "params", "gradient", "holds", "chain"]

    public var tex: String
    public var binding: FormulaBinding
    /// For a gradient formula: what its elements run over (`GradientBinding(_:elements:)`).
    public var gradient: GradientBinding?
    /// Character offset in the body of each key that was written (for pointing errors at it).
    public var keyOffsets: [String: Int]

    /// - Throws: `FormulaError` whose offset counts characters from the start of `body`.
    public static func parse(_ body: String) throws -> FormulaBlock {
        let characters = Array(body)
        // Lines with their starting offsets.
        var lines: [(text: String, offset: Int)] = []
        var start = 0
        for (i, c) in characters.enumerated() where c == "\n" {
            lines.append((String(characters[start..<i]), start))
            start = i + 1
        }
        if start < characters.count { lines.append((String(characters[start...]), start)) }

        func keyLine(_ text: String) -> (key: String, value: String)? {
            guard let first = text.first, first.isLetter, let colon = text.firstIndex(of: ":") else { return nil }
            let key = String(text[..<colon])
            guard keys.contains(key) else { return nil }
            return (key, text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        guard let firstKey = lines.firstIndex(where: { keyLine($0.text) != nil }) else {
            throw FormulaError("a formula block needs 'check: <loss id>' after the TeX", at: 0,
                               hint: "then 'where:' with one indented 'symbol: source' line for each symbol")
        }
        let texEnd = lines[firstKey].offset
        let tex = String(characters[0..<texEnd])
        guard tex.contains(where: { !$0.isWhitespace }) else {
            throw FormulaError("the formula block has no TeX before '\(keyLine(lines[firstKey].text)!.key):'", at: texEnd)
        }

        var keyOffsets: [String: Int] = [:]
        var values: [String: (value: String, offset: Int)] = [:]
        var entries: [String: [(key: String, value: String, offset: Int)]] = [:]
        var current: String?
        for line in lines[firstKey...] {
            let trimmed = line.text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.text.first == " " || line.text.first == "\t" {
                guard let key = current, key == "where" || key == "params" else {
                    throw FormulaError("an indented line belongs under 'where:' or 'params:'", at: line.offset)
                }
                let indent = line.text.prefix(while: { $0 == " " || $0 == "\t" }).count
                guard let colon = Self.separator(in: trimmed) else {
                    throw FormulaError("'\(trimmed)' is not 'name: value'", at: line.offset + indent,
                                       hint: key == "where" ? "e.g. 'p_{i,c}: probability'" : "e.g. 'gamma: 2'")
                }
                let name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
                let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !value.isEmpty else {
                    throw FormulaError("'\(trimmed)' is not 'name: value'", at: line.offset + indent)
                }
                entries[key, default: []].append((name, value, line.offset + indent))
                continue
            }
            guard let found = keyLine(line.text) else {
                let word = line.text.prefix(while: { $0 != ":" && $0 != " " })
                throw FormulaError("unknown key '\(word)' in a formula block", at: line.offset,
                                   hint: "known keys: \(keys.joined(separator: ", ")); the TeX comes first")
            }
            let (key, value) = (found.key, found.value)
            guard keyOffsets[key] == nil else { throw FormulaError("'\(key)' is given twice", at: line.offset) }
            keyOffsets[key] = line.offset
            current = key
            if key == "where" || key == "params" {
                guard value.isEmpty else {
                    throw FormulaError("'\(key):' takes one 'name: value' line each, indented, below it", at: line.offset,
                                       hint: "block style: a flow mapping would split at a subscript's comma")
                }
            } else {
                guard !value.isEmpty else { throw FormulaError("'\(key):' needs a value", at: line.offset) }
                values[key] = (value, line.offset)
            }
        }
        guard let loss = values["check"]?.value else {
            throw FormulaError("a formula block needs 'check: <loss id>'", at: texEnd,
                               hint: "e.g. 'check: focal' (the ids: lossbook list); a formula that is no loss takes 'notation: <reason>' instead")
        }
        guard let symbols = entries["where"], !symbols.isEmpty else {
            throw FormulaError("a formula block needs 'where:' binding its symbols", at: keyOffsets["where"] ?? texEnd,
                               hint: "one indented 'symbol: source' line each, e.g. 'p_{i,c}: probability'")
        }
        let reduction: FormulaBinding.Reduction
        do {
            reduction = try FormulaBinding.Reduction(parsing: values["reduction"]?.value ?? "none")
        } catch var error as FormulaError {
            error.offset = values["reduction"]?.offset
            throw error
        }
        var settings: [String: String] = [:]
        for entry in entries["params"] ?? [] {
            guard settings[entry.key] == nil else { throw FormulaError("parameter '\(entry.key)' is given twice", at: entry.offset) }
            settings[entry.key] = entry.value
        }
        let binding = FormulaBinding(loss: loss, formulas: [0], evaluate: values["evaluate"]?.value,
                                     symbols: symbols.map { (symbol: $0.key, source: $0.value) }, reduction: reduction, settings: [settings])
        if let holds = values["holds"], values["gradient"] == nil {
            throw FormulaError("'holds:' says where a gradient formula holds, but the block has no 'gradient:'", at: holds.offset)
        }
        if let chain = values["chain"], values["gradient"] == nil {
            throw FormulaError("'chain:' multiplies a gradient formula, but the block has no 'gradient:'", at: chain.offset)
        }
        if let chain = values["chain"], !chain.value.hasPrefix("=") {
            throw FormulaError("'chain:' takes a TeX factor after '=', e.g. 'chain: = -1'", at: chain.offset)
        }
        let holds = values["holds"].map { [$0.value] } ?? []
        return FormulaBlock(tex: tex, binding: binding,
                            gradient: values["gradient"].map {
                                GradientBinding(binding, elements: $0.value, holds: holds, chain: values["chain"]?.value)
                            },
                            keyOffsets: keyOffsets)
    }

    /// Where a `where:` line's key ends: the first `:` followed by a space or the end of the line.
    private static func separator(in line: String) -> String.Index? {
        var index = line.startIndex
        while let colon = line[index...].firstIndex(of: ":") {
            let next = line.index(after: colon)
            if next == line.endIndex || line[next] == " " { return colon }
            index = next
        }
        return nil
    }

    /// `(line, column)`, both from 0, of a character offset in `text`.
    public static func lineAndColumn(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 0, column = 0
        for (i, c) in text.enumerated() {
            if i == offset { break }
            if c == "\n" { line += 1; column = 0 } else { column += 1 }
        }
        return (line, column)
    }
}
