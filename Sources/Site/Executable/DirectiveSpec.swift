import Foundation
import Losses
import Yams

/// The executable blocks of a note: fenced code blocks whose info string starts with one of these.
enum DirectiveKind: String, CaseIterable, Sendable {
    case table = "loss-table"
    case grad = "loss-grad"
    case plot = "loss-plot"
    case formula = "loss-formula"
    case code = "loss-code"
    case distanceMap = "distance-map"
    case citedTable = "cited-table"
    case citedPlot = "cited-plot"
    case family = "loss-family"
    /// A formula in a note, bound to a loss and checked against it (`FormulaBlock`).
    case checkedFormula = "formula"
    /// Numerically probed properties of a loss, or of several (`LossProperties`).
    case properties = "loss-properties"

    static func of(_ info: String) -> DirectiveKind? {
        guard let word = info.split(separator: " ").first else { return nil }
        return DirectiveKind(rawValue: String(word))
    }

    /// Keys its YAML body may hold.
    var keys: [String] {
        switch self {
        case .table, .grad:
            return ["loss", "losses", "params", "vary", "series", "cases", "mask", "digits", "tolerance", "expected", "caption", "claims"]
        case .plot:
            return ["loss", "losses", "params", "x", "points", "series", "y", "y_range", "title", "x_label", "y_label", "mask", "claims"]
        case .formula: return ["all"]
        case .code: return []
        case .distanceMap: return ["mask", "kind", "spacing", "title", "labels"]
        case .citedTable: return ["columns", "rows", "metric", "metrics", "caption"]
        case .citedPlot: return ["column", "rows", "metric", "title"]
        case .family: return ["around", "title"]
        case .checkedFormula: return []
        case .properties: return ["loss", "losses", "caption"]
        }
    }

    /// Whether the execution cache may keep its result: blocks that read data files or run
    /// Graphviz (cached apart, by content) are cheap and depend on more than the block's text.
    var cached: Bool { ![.citedTable, .citedPlot, .family].contains(self) }

    /// The body is YAML (a `formula` block's is TeX, then its own key lines).
    var bodyIsYAML: Bool { self != .checkedFormula }
}

/// A number written in a directive, with where it is (for errors and `--fix`).
struct PositionedNumber {
    var value: Double
    var text: String
    var line: Int
    var column: Int
}

/// A directive's parsed block: info-string argument, YAML body with positions.
struct DirectiveSpec {
    let kind: DirectiveKind
    /// The word after the directive name (a loss id), with its column.
    let argument: String?
    let path: String
    /// File line of the opening fence.
    let fenceLine: Int
    let fenceColumn: Int
    let body: String
    private let pairs: [(key: String, keyNode: Node, value: Node)]
    private let reader: YAMLReader
    let limits: Limits

    /// Columns before each body line in the file (a block in a list item or block quote).
    let columnShifts: [Int]

    init(kind: DirectiveKind, info: String, body: String, path: String, fenceLine: Int, fenceColumn: Int,
         columnShifts: [Int] = [], limits: Limits = Limits()) throws {
        self.columnShifts = columnShifts
        self.limits = limits
        self.kind = kind
        self.path = path
        self.fenceLine = fenceLine
        self.fenceColumn = fenceColumn
        self.body = body
        let words = info.split(separator: " ", omittingEmptySubsequences: true)
        argument = words.count > 1 ? String(words[1]) : nil
        reader = YAMLReader(path: path, lineOffset: fenceLine, stage: .execute, limits: limits, columnShifts: columnShifts)
        pairs = !kind.bodyIsYAML || body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [] : try reader.mapping(body)
        for (key, keyNode, _) in pairs where !kind.keys.contains(key) {
            throw reader.unknownKey(keyNode, key, known: kind.keys)
        }
        try checkWork()
    }

    /// The file's column of `column` on the body's 1-based `line`.
    func fileColumn(_ column: Int, line: Int) -> Int { reader.fileColumn(column, line: line) }

    func node(_ key: String) -> Node? { pairs.first { $0.key == key }?.value }
    func has(_ key: String) -> Bool { node(key) != nil }

    func error(_ message: String, at node: Node? = nil, hint: String? = nil) -> Diagnostic {
        if let node { return reader.diagnostic(node, message, hint: hint) }
        return Diagnostic(path, line: fenceLine, column: fenceColumn, stage: .execute, message, hint: hint)
    }

    /// The loss id: the info-string argument or `loss:`; validated against the catalog.
    func lossID() throws -> String {
        if let value = node("loss") { return try validID(try reader.string(value, "loss"), value) }
        guard let argument else {
            throw error("\(kind.rawValue) needs a loss id", hint: "write ```\(kind.rawValue) focal or 'loss: focal'")
        }
        return try validID(argument, nil)
    }

    /// `losses:` — several ids (table rows or plot series).
    func lossIDs() throws -> [String]? {
        guard let value = node("losses") else { return nil }
        guard let sequence = value.sequence, !sequence.isEmpty else { throw error("'losses' must be a list of loss ids", at: value) }
        return try sequence.map { try validID(try reader.string($0, "losses"), $0) }
    }

    private func validID(_ id: String, _ node: Node?) throws -> String {
        guard Catalog.ids.contains(id) else {
            let suggestion = Catalog.closest(to: id, in: Catalog.ids)
            throw error("unknown loss '\(id)'", at: node,
                        hint: suggestion.map { "did you mean '\($0)'?" } ?? "see `lossbook list` for the ids")
        }
        return id
    }

    /// `params:` as catalog values, checked against the loss(es) later by `Catalog.make`.
    func parameters() throws -> [String: ParameterValue] {
        guard let value = node("params") else { return [:] }
        var result: [String: ParameterValue] = [:]
        for (name, _, v) in try reader.pairs(value) { result[name] = try parameterValue(v, name) }
        return result
    }

    /// Where the parameter `name` is written, for pointing an error at it.
    /// A parameter of `series:` (`series: {gamma: [0, 2]}`) is found at its name there.
    func parameterNode(_ name: String) -> Node? {
        if let series = node("series"), let pairs = try? reader.pairs(series), let entry = pairs.first(where: { $0.key == name }) {
            return entry.keyNode
        }
        guard let value = node("params"), let pairs = try? reader.pairs(value) else { return node("params") }
        return pairs.first { $0.key == name }?.keyNode ?? value
    }

    func parameterValue(_ node: Node, _ name: String) throws -> ParameterValue {
        switch node {
        case let .scalar(scalar):
            if scalar.style == .plain {
                if let b = YAMLReader.plainBool(scalar), ["true", "false"].contains(scalar.string) { return .bool(b) }
                if let x = Double(scalar.string) { return .number(x) }
            }
            return .string(scalar.string)
        case let .sequence(sequence):
            return .numbers(try sequence.map { try number($0, name) })
        default:
            throw error("parameter '\(name)' must be a number, true/false, a word or a list of numbers", at: node)
        }
    }

    func number(_ node: Node, _ key: String) throws -> Double {
        guard case let .scalar(scalar) = node, let x = Double(scalar.string.utf8Replacing("−", with: "-")) else {
            throw error("'\(key)' must hold numbers", at: node)
        }
        return x
    }

    func numbers(_ node: Node, _ key: String) throws -> [Double] {
        guard let sequence = node.sequence, !sequence.isEmpty else { throw error("'\(key)' must be a list of numbers", at: node) }
        return try sequence.map { try number($0, key) }
    }

    /// A one-entry mapping `name: [values]` (`vary`, `series`, `x`).
    func single(_ key: String) throws -> (name: String, nameNode: Node, values: [Double])? {
        guard let value = node(key) else { return nil }
        let entries = try reader.pairs(value)
        guard entries.count == 1 else { throw error("'\(key)' takes one name with its list of values, e.g. '\(key): {gamma: [0, 1, 2]}'", at: value) }
        return (entries[0].key, entries[0].keyNode, try numbers(entries[0].value, entries[0].key))
    }

    func variable(_ key: String) throws -> (variable: ProbeVariable, values: [Double], node: Node)? {
        guard let (name, nameNode, values) = try single(key) else { return nil }
        guard let variable = ProbeVariable(rawValue: name) else {
            throw error("unknown variable '\(name)'", at: nameNode,
                        hint: "one of " + ProbeVariable.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return (variable, values, nameNode)
    }

    func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let node = node(key) else { return value }
        let n = try reader.int(node, key)
        guard range.contains(n) else { throw error("'\(key)' must be between \(range.lowerBound) and \(range.upperBound)", at: node) }
        return n
    }

    func string(_ key: String) throws -> String? {
        try node(key).map { try reader.string($0, key) }
    }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        try node(key).map { try reader.bool($0, key) } ?? value
    }

    /// `mask: {target: "0 1\n1 1", prediction: "0.2 0.9\n…"}` or `mask: "0 1\n1 1"`; or, for a
    /// table comparing predictions of one target, `predictions: {U: "…", O: "…"}` instead of `prediction`.
    func mask() throws -> Mask? {
        guard let value = node("mask") else { return nil }
        func grid(_ node: Node, _ key: String) throws -> [[Double]] { try self.grid(node, key) }
        if case .scalar = value { return Mask(target: try grid(value, "mask"), prediction: nil) }
        return try maskPairs(value, grid: grid)
    }

    /// A grid of numbers, one row a line. A ragged row or a word that is not a number is reported
    /// at that row or word where the grid is a literal block (`|`), else at the grid.
    func grid(_ node: Node, _ key: String) throws -> [[Double]] {
        let text = try reader.string(node, key)
        // Text lines with their numbers' words; the index is the line within the grid's text.
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { ($0.offset, $0.element.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })) }
            .filter { !$0.1.isEmpty }
        guard !rows.isEmpty else { throw error("'\(key)' is an empty grid", at: node) }
        try checkElements(rows.reduce(0) { $0 + $1.1.count }, key, at: node)
        let grid = try rows.map { line, words in try words.enumerated().map { index, word -> Double in
            guard let x = Double(word) else {
                throw error("'\(key)' holds '\(word)', not a number", at: node, gridLine: line, word: index)
            }
            return x
        } }
        if let ragged = grid.firstIndex(where: { $0.count != grid[0].count }) {
            throw error("row \(ragged + 1) of '\(key)' has \(grid[ragged].count) numbers, not \(grid[0].count) like the first row",
                        at: node, gridLine: rows[ragged].0, word: 0, hint: "a grid has the same number of cells in every row")
        }
        return grid
    }

    /// An error at word `word` of line `gridLine` of a grid's text: found in the block's source when
    /// the grid is a literal block scalar (`|`, one source line a text line), else at the grid.
    private func error(_ message: String, at node: Node, gridLine: Int, word: Int, hint: String? = nil) -> Diagnostic {
        guard case let .scalar(scalar) = node, scalar.style == .literal, let mark = node.mark else {
            return error(message, at: node, hint: hint)
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        // The `|` is on body line `mark.line` (1-based); the text's first line on the next one.
        let index = mark.line + gridLine
        let textLines = scalar.string.split(separator: "\n", omittingEmptySubsequences: false)
        guard index < lines.count, gridLine < textLines.count else { return error(message, at: node, hint: hint) }
        let source = Array(lines[index].unicodeScalars)
        var column = 0, found = -1, inWord = false
        for (offset, c) in source.enumerated() {
            let separator = c == " " || c == "," || c == "\t" || c == "\r"
            if !separator, !inWord { found += 1; if found == word { column = offset + 1; break } }
            inWord = !separator
        }
        // Only a source line holding the text line's words (its indentation aside) is trusted.
        guard column > 0, lines[index].hasSuffix(textLines[gridLine]) else {
            return error(message, at: node, hint: hint)
        }
        return Diagnostic(path, line: fenceLine + index + 1, column: reader.fileColumn(column, line: index + 1), stage: .execute, message, hint: hint)
    }

    private func maskPairs(_ value: Node, grid: (Node, String) throws -> [[Double]]) throws -> Mask {
        var target: [[Double]]?
        var prediction: [[Double]]?
        var predictionNode: Node?
        var predictions: [(label: String, grid: [[Double]], node: Node)] = []
        for (key, keyNode, v) in try reader.pairs(value) {
            switch key {
            case "target": target = try grid(v, "target")
            case "prediction": prediction = try grid(v, "prediction"); predictionNode = v
            case "predictions":
                for (label, _, grid) in try reader.pairs(v) { predictions.append((label, try self.grid(grid, "predictions"), grid)) }
                guard !predictions.isEmpty else { throw error("'predictions' names no prediction", at: v) }
            default: throw reader.unknownKey(keyNode, key, known: ["target", "prediction", "predictions"])
            }
        }
        guard let target else { throw error("'mask' needs a 'target' grid", at: value) }
        if prediction != nil, !predictions.isEmpty { throw error("give 'prediction' or 'predictions', not both", at: value) }
        for (name, grid, at) in [("prediction", prediction, predictionNode ?? value)].compactMap({ p in p.1.map { (p.0, $0, p.2) } })
            + predictions.map({ ("prediction '\($0.label)'", $0.grid, $0.node) }) {
            if grid.count != target.count || grid.first?.count != target.first?.count {
                throw error("\(name) and 'target' must have the same size", at: at)
            }
            if grid.joined().contains(where: { $0 < 0 || $0 > 1 }) {
                throw error("\(name) holds probabilities: every value must lie in [0, 1]", at: at)
            }
        }
        return Mask(target: target, prediction: prediction, predictions: predictions.map { ($0.label, $0.grid) })
    }

    /// `expected:` rows of numbers, with their positions.
    func expected() throws -> [[PositionedNumber]]? {
        guard let value = node("expected") else { return nil }
        guard let rows = value.sequence else { throw error("'expected' must be a list of rows, e.g. '- [0.1, 0.2]'", at: value) }
        return try rows.map { row in
            let cells: [Node] = row.sequence.map(Array.init) ?? [row]
            return try cells.map { cell in
                guard case let .scalar(scalar) = cell, let x = Double(scalar.string), let mark = cell.mark else {
                    throw error("'expected' must hold numbers", at: cell)
                }
                return PositionedNumber(value: x, text: scalar.string, line: mark.line + fenceLine, column: reader.fileColumn(mark.column, line: mark.line))
            }
        }
    }

    /// An explicit case: `{label, input, target, params}` with nested lists for tensors.
    struct Case {
        var label: String
        var input: Tensor
        var target: Tensor?
        var parameters: [String: ParameterValue]
        /// Where the case writes its input, target and parameters, for the errors about them.
        var origin: Origin
    }

    func cases() throws -> [Case]? {
        guard let value = node("cases") else { return nil }
        guard let sequence = value.sequence, !sequence.isEmpty else { throw error("'cases' must be a list", at: value) }
        return try sequence.enumerated().map { index, item in
            var label = "\(index + 1)"
            var input: Tensor?
            var target: Tensor?
            var parameters: [String: ParameterValue] = [:]
            var origin = Origin()
            for (key, keyNode, v) in try reader.pairs(item) {
                switch key {
                case "label": label = try reader.string(v, key)
                case "input": input = try tensor(v, key); origin.input = keyNode
                case "target": target = try tensor(v, key); origin.target = keyNode
                case "params":
                    for (name, nameNode, p) in try reader.pairs(v) {
                        parameters[name] = try parameterValue(p, name)
                        origin.parameters[name] = nameNode
                    }
                default: throw reader.unknownKey(keyNode, key, known: ["label", "input", "target", "params"])
                }
            }
            guard let input else { throw error("case '\(label)' needs an 'input'", at: item) }
            return Case(label: label, input: input, target: target, parameters: parameters, origin: origin)
        }
    }

    /// A nested list of numbers as a tensor (shape from the nesting).
    func tensor(_ node: Node, _ key: String) throws -> Tensor {
        func shape(_ node: Node) throws -> [Int] {
            guard let sequence = node.sequence else { return [] }
            guard let first = sequence.first else { return [0] }
            let inner = try shape(first)
            for element in sequence where try shape(element) != inner {
                throw error("'\(key)' is not rectangular", at: element)
            }
            return [sequence.count] + inner
        }
        func flatten(_ node: Node) throws -> [Float] {
            if let sequence = node.sequence { return try sequence.flatMap(flatten) }
            return [Float(try number(node, key))]
        }
        let dims = try shape(node)
        try checkElements(dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }, key, at: node)
        do {
            return try Tensor(shape: dims, data: try flatten(node))
        } catch let lossError as LossError {
            throw error("'\(key)': \(lossError)", at: node)
        }
    }
}
