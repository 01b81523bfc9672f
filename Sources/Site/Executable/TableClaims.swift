import Foundation

/// A computed table as `claims:` read it: values with labelled rows and columns.
///
/// Each axis has a name (the varied input `p`, `s`, …, the series parameter `gamma`, or `loss`,
/// `case`, `value`) and, for each index, the words that select it (a loss's id and name, a
/// case's label, `s=0.5`) and its number when it is one.
struct ClaimTable {
    struct Axis {
        var name: String
        var labels: [[String]]
        var numbers: [Double?]

        /// Values of a varied input or a series parameter: selected as `s=0.5` (or `0.5`).
        static func numeric(_ name: String, _ values: [Double]) -> Axis {
            Axis(name: name, labels: values.map { ["\(name)=\(DirectiveExpander.display($0, digits: 6))"] }, numbers: values)
        }

        static func named(_ name: String, _ labels: [[String]]) -> Axis {
            Axis(name: name, labels: labels.map { $0.map { $0.lowercased() } }, numbers: labels.map { _ in nil })
        }

        var count: Int { labels.count }

        /// Indices `selector` names on this axis: `name=value`, a bare number, or a label.
        func matches(_ selector: String) -> [Int] {
            let word = TableClaim.canonical(selector.lowercased())
            if let equals = word.firstIndex(of: "=") {
                let name = String(word[..<equals]), value = Double(word[word.index(after: equals)...])
                guard name == TableClaim.canonical(self.name.lowercased()) else { return [] }
                if let value { return numbers.indices.filter { numbers[$0].map { abs($0 - value) <= 1e-12 * max(1, abs(value)) } ?? false } }
                return labels.indices.filter { labels[$0].contains(word) }
            }
            if let value = Double(word) {
                return numbers.indices.filter { numbers[$0].map { abs($0 - value) <= 1e-12 * max(1, abs(value)) } ?? false }
            }
            return labels.indices.filter { labels[$0].contains(word) }
        }

        func describe(_ index: Int) -> String {
            if let x = numbers[index] { return "\(name) = \(DirectiveExpander.display(x, digits: 6))" }
            return labels[index].first ?? "#\(index + 1)"
        }
    }

    var rows: Axis
    var columns: Axis
    var values: [[Double]]
}

/// One claim over a table's computed values, checked at build time.
///
///     dice(U) == dice(O) within 1e-3        a cell (row `dice`, column or row `U`), tolerance absolute
///     pgd < gd for all s                    two rows, compared at every value of s
///     decreasing in gamma                   every line of the table along gamma
///     focal at p=0.9 increasing in gamma    one line
///     grad(gamma=2) at s=0.5 > grad(gamma=1) at s=0.5
///
/// A selection is words: a row or column label (loss id or name, case label, `gamma=2`,
/// `s=0.5`, a bare number), `row:2`, `col:1` (1-based), or `value`/`grad`/`loss`/`L` for the whole
/// table, joined by `at` or written as `f(a, b)`. Comparisons (`==`, `<`, `>`, `<=`, `>=`)
/// hold element by element; a number compares with every element. `==` without `within`
/// allows the table's tolerance; `decreasing`/`increasing` are strict.
struct TableClaim {
    let text: String

    struct Failure: Error { var message: String; var hint: String? = nil }

    private enum Token: Equatable {
        case word(String), op(String), open, close, comma
    }

    /// Greek letters as the parameter names the catalog uses.
    static func canonical(_ word: String) -> String {
        let names: [Character: String] = ["γ": "gamma", "α": "alpha", "β": "beta", "δ": "delta", "ε": "epsilon",
                                          "λ": "lambda", "σ": "sigma", "τ": "tau", "ω": "omega", "μ": "mu"]
        var out = ""
        for c in word { out += names[c] ?? String(c) }
        return out
    }

    private func tokens() -> [Token] {
        var out: [Token] = []
        let s = Array(text)
        var i = 0
        var word = ""
        func flush() { if !word.isEmpty { out.append(.word(word)); word = "" } }
        while i < s.count {
            let c = s[i]
            let next: Character? = i + 1 < s.count ? s[i + 1] : nil
            if c.isWhitespace { flush(); i += 1; continue }
            switch c {
            case "(": flush(); out.append(.open); i += 1
            case ")": flush(); out.append(.close); i += 1
            case ",": flush(); out.append(.comma); i += 1
            case "<", ">":
                flush()
                if next == "=" { out.append(.op("\(c)=")); i += 2 } else { out.append(.op(String(c))); i += 1 }
            case "≤": flush(); out.append(.op("<=")); i += 1
            case "≥": flush(); out.append(.op(">=")); i += 1
            case "≈": flush(); out.append(.op("==")); i += 1
            case "=" where next == "=": flush(); out.append(.op("==")); i += 2
            default: word.append(c); i += 1
            }
        }
        flush()
        return out
    }

    /// A selection: rows × columns (index sets), or a number.
    private enum Operand {
        case number(Double)
        case cells(rows: [Int], columns: [Int], text: String)
    }

    /// Checks the claim; throws `Failure` saying why it does not hold or cannot be read.
    func check(_ table: ClaimTable, relative: Double, absolute: Double) throws {
        var tokens = self.tokens()[...]
        guard !tokens.isEmpty else { throw Failure(message: "an empty claim") }

        func operand() throws -> Operand? {
            var words: [String] = []
            while let token = tokens.first {
                guard case let .word(w) = token, !["decreasing", "increasing", "within", "for"].contains(w) else { break }
                tokens.removeFirst()
                if w == "at" { continue }
                words.append(w)
                if tokens.first == .open {
                    tokens.removeFirst()
                    while let inner = tokens.first, inner != .close {
                        tokens.removeFirst()
                        if case let .word(x) = inner { words.append(x) } else if inner != .comma {
                            throw Failure(message: "unexpected '\(inner)' inside parentheses")
                        }
                    }
                    guard tokens.first == .close else { throw Failure(message: "a '(' is not closed") }
                    tokens.removeFirst()
                }
            }
            guard !words.isEmpty else { return nil }
            if words.count == 1, let x = Double(words[0]) { return .number(x) }
            var rows = Array(0..<table.rows.count), columns = Array(0..<table.columns.count)
            for word in words {
                let lower = word.lowercased()
                if lower.hasPrefix("row:"), let k = Int(lower.dropFirst(4)) {
                    guard (1...table.rows.count).contains(k) else { throw Failure(message: "'\(word)': the table has \(table.rows.count) rows") }
                    rows = rows.filter { $0 == k - 1 }; continue
                }
                if lower.hasPrefix("col:"), let k = Int(lower.dropFirst(4)) {
                    guard (1...table.columns.count).contains(k) else { throw Failure(message: "'\(word)': the table has \(table.columns.count) columns") }
                    columns = columns.filter { $0 == k - 1 }; continue
                }
                let inRows = table.rows.matches(word), inColumns = table.columns.matches(word)
                switch (inRows.isEmpty, inColumns.isEmpty) {
                case (false, false):
                    throw Failure(message: "'\(word)' names a row and a column", hint: "write '\(table.rows.name)=…' or '\(table.columns.name)=…', or row:N / col:N")
                case (false, true): rows = rows.filter(inRows.contains)
                case (true, false): columns = columns.filter(inColumns.contains)
                case (true, true):
                    if ["value", "values", "grad", "gradient", "loss", "l", "all"].contains(lower) { continue }
                    throw Failure(message: "'\(word)' names no row or column of the table",
                                  hint: "rows (\(table.rows.name)): \(table.rows.indices.map(table.rows.describe).joined(separator: ", ")); "
                                      + "columns (\(table.columns.name)): \(table.columns.indices.map(table.columns.describe).joined(separator: ", "))")
                }
            }
            return .cells(rows: rows, columns: columns, text: words.joined(separator: " "))
        }

        func axisNamed(_ word: String) throws -> (rowsAxis: Bool, axis: ClaimTable.Axis) {
            let w = Self.canonical(word.lowercased())
            if Self.canonical(table.rows.name.lowercased()) == w || w == "rows" { return (true, table.rows) }
            if Self.canonical(table.columns.name.lowercased()) == w || w == "columns" { return (false, table.columns) }
            throw Failure(message: "'\(word)' is not an axis of the table", hint: "rows run over \(table.rows.name), columns over \(table.columns.name)")
        }

        let left = try operand()
        guard let token = tokens.first else { throw Failure(message: "the claim states nothing", hint: "use ==, <, >, <=, >=, 'decreasing in …' or 'increasing in …'") }
        tokens.removeFirst()
        if case let .word(direction) = token, direction == "decreasing" || direction == "increasing" {
            guard tokens.popFirst() == .word("in"), case let .word(axisWord)? = tokens.popFirst(), tokens.isEmpty else {
                throw Failure(message: "write '\(direction) in <axis>', e.g. '\(direction) in \(table.rows.name)'")
            }
            let (alongRows, axis) = try axisNamed(axisWord)
            var rows = Array(0..<table.rows.count), columns = Array(0..<table.columns.count)
            if case let .cells(r, c, _)? = left { rows = r; columns = c }
            if case .number? = left { throw Failure(message: "a number is neither increasing nor decreasing") }
            let order = (alongRows ? rows : columns).sorted { (axis.numbers[$0] ?? Double($0)) < (axis.numbers[$1] ?? Double($1)) }
            guard order.count >= 2 else { throw Failure(message: "the selection has fewer than two values along \(axis.name)") }
            for line in alongRows ? columns : rows {
                for (a, b) in zip(order, order.dropFirst()) {
                    let x = alongRows ? table.values[a][line] : table.values[line][a]
                    let y = alongRows ? table.values[b][line] : table.values[line][b]
                    let holds = direction == "decreasing" ? y < x : y > x
                    if !holds {
                        let other = alongRows ? table.columns.describe(line) : table.rows.describe(line)
                        throw Failure(message: "the values are not \(direction) in \(axis.name) (\(other)): "
                                      + "\(axis.describe(a)) gives \(DirectiveExpander.full(x)), \(axis.describe(b)) gives \(DirectiveExpander.full(y))")
                    }
                }
            }
            return
        }
        guard case let .op(op) = token else { throw Failure(message: "expected a comparison (==, <, >, <=, >=) or 'decreasing in'/'increasing in'") }
        guard let left, let right = try operand() else { throw Failure(message: "'\(op)' needs something on each side") }
        var within: Double?
        if tokens.first == .word("within") {
            tokens.removeFirst()
            guard case let .word(t)? = tokens.popFirst(), let x = Double(t), x >= 0 else { throw Failure(message: "'within' takes a number") }
            within = x
        }
        var forAll: String?
        if tokens.first == .word("for") {
            tokens.removeFirst()
            guard tokens.popFirst() == .word("all"), case let .word(axis)? = tokens.popFirst() else { throw Failure(message: "write 'for all <axis>'") }
            forAll = axis
        }
        guard tokens.isEmpty else { throw Failure(message: "unexpected '\(tokens.first!)' after the claim") }
        if within != nil, op != "==" { throw Failure(message: "'within' goes with '=='") }

        // Elements as (row, column) pairs; a number stands beside every element.
        func elements(_ operand: Operand) -> [(Int, Int)]? {
            guard case let .cells(rows, columns, _) = operand else { return nil }
            return rows.flatMap { r in columns.map { (r, $0) } }
        }
        let a = elements(left), b = elements(right)
        if let a, a.isEmpty { throw Failure(message: "the left side selects no cell") }
        if let b, b.isEmpty { throw Failure(message: "the right side selects no cell") }
        let count = max(a?.count ?? 1, b?.count ?? 1)
        if let a, let b, a.count != b.count, a.count != 1, b.count != 1 {
            throw Failure(message: "the two sides select \(a.count) and \(b.count) values", hint: "select a row, a column or a cell on each side")
        }
        if let forAll {
            let (alongRows, axis) = try axisNamed(forAll)
            for side in [left, right] {
                if case let .cells(rows, columns, _) = side, (alongRows ? columns.count : rows.count) != 1 || (alongRows ? rows.count : columns.count) < 2 {
                    throw Failure(message: "'for all \(forAll)': each side must run over \(axis.name) alone")
                }
            }
        }
        func value(_ operand: Operand, _ cells: [(Int, Int)]?, _ k: Int) -> (Double, (Int, Int)?) {
            if case let .number(x) = operand { return (x, nil) }
            let cell = cells![cells!.count == 1 ? 0 : k]
            return (table.values[cell.0][cell.1], cell)
        }
        func name(_ operand: Operand) -> String {
            if case let .cells(_, _, text) = operand { return text }
            if case let .number(x) = operand { return DirectiveExpander.full(x) }
            return ""
        }
        for k in 0..<count {
            let (x, xCell) = value(left, a, k), (y, yCell) = value(right, b, k)
            let holds: Bool
            switch op {
            case "<": holds = x < y
            case ">": holds = x > y
            case "<=": holds = x <= y
            case ">=": holds = x >= y
            default: holds = abs(x - y) <= (within ?? absolute + relative * max(abs(x), abs(y)))
            }
            if !holds {
                var place = ""
                let longer = [a, b].compactMap { $0 }.max { $0.count < $1.count } ?? []
                if count > 1, let cell = longer.count == count ? longer[k] : xCell ?? yCell {
                    // Where the two sides differ, along the axis they run over.
                    let rowsVary = Set(longer.map { $0.0 }).count > 1
                    place = " at " + (rowsVary ? table.rows.describe(cell.0) : table.columns.describe(cell.1))
                }
                throw Failure(message: "false\(place): \(name(left)) = \(DirectiveExpander.full(x)), \(name(right)) = \(DirectiveExpander.full(y))")
            }
        }
    }
}

extension ClaimTable.Axis {
    var indices: Range<Int> { labels.indices }
}
