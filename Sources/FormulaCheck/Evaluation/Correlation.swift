/// A kernel slid over a map on a grid, `w \star x` or `B * f`: the operator a binding gives a
/// meaning under where: (`\star: valid correlation over j into i`).
///
/// The kernel (left operand) reads an array whose last axis is a grid of its own (the window,
/// `w_t: window` over 11 × 11); the map (right operand) is evaluated at the input grid's
/// positions, the index `over` set to each. At an output position o the value is
/// Σ_t k(t) · map(o + t − centre), t over the kernel's grid:
/// - `valid`: no padding, centre 0; the output grid Ω′ (`into`, an index of its own) is the
///   input's size − kernel's size + 1 along each axis (MONAI's SSIM, `torch` conv with padding 0);
/// - `zero-padded`: centre (size − 1)/2, positions outside the grid read 0; the output grid is
///   the input's (`torch` conv with padding 1 for a 3 × 3 kernel);
/// - `full`: every position where the kernel overlaps the map, centre size − 1; the output grid
///   is the input's size + kernel's size − 1 along each axis. A full convolution is the transpose
///   of a valid correlation (`w^\top g` of SSIM's gradient: each position of Ω′ spread back over
///   the pixels its window read, `full convolution over i into j`);
/// - a `convolution` flips the kernel along every axis; a `correlation` does not (`torch`'s
///   conv2d is a correlation).
public struct Correlation: Sendable, Equatable {
    public enum Padding: String, Sendable { case valid, zeroPadded = "zero-padded", full }

    /// The operator as written: `\star` or `*`.
    public var symbol: String
    public var padding: Padding
    public var flipped: Bool
    /// The grid index of the map it slides over, and of its output (the same with zero padding).
    public var input: String
    public var output: String

    public init(symbol: String, padding: Padding, flipped: Bool, input: String, output: String) {
        self.symbol = symbol
        self.padding = padding
        self.flipped = flipped
        self.input = input
        self.output = output
    }

    /// `valid correlation over j into i`, `zero-padded convolution over i`.
    public init(symbol: String, parsing source: String) throws {
        let words = source.split(separator: " ").map(String.init)
        let usage = "\(symbol): valid correlation over j into i, zero-padded correlation over i, or full convolution over i into j "
            + "(convolution flips the kernel)"
        guard words.count == 4 || words.count == 6, let padding = Padding(rawValue: words[0]),
              words[1] == "correlation" || words[1] == "convolution", words[2] == "over",
              words.count == 4 || words[4] == "into" else {
            throw FormulaError("'\(symbol): \(source)' is not a correlation", hint: usage)
        }
        let output = words.count == 6 ? words[5] : words[3]
        if padding == .zeroPadded && output != words[3] {
            throw FormulaError("a zero-padded \(words[1]) keeps its grid: '\(symbol): \(source)' names another", hint: usage)
        }
        if padding != .zeroPadded && output == words[3] {
            throw FormulaError("a \(padding.rawValue) \(words[1]) has a \(padding == .valid ? "smaller" : "larger") grid: name its index, "
                               + "'\(symbol): \(padding.rawValue) \(words[1]) over \(words[3]) into \(words[3] == "i" ? "j" : "i")'", hint: usage)
        }
        self.init(symbol: symbol, padding: padding, flipped: words[1] == "convolution", input: words[3], output: output)
    }

    /// `\star` or `*` at a token, the operator's name in a `TeXExpression.call`.
    static func operatorName(_ token: TeXToken) -> String? {
        if token.command == "star" { return #"\star"# }
        if token.isSymbol("*") { return "*" }
        return nil
    }

    static func isOperator(_ key: String) -> Bool {
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        return trimmed == #"\star"# || trimmed == "*"
    }

    /// The output grid for an input grid and a kernel grid of the same rank.
    func outputGrid(input: [Int], kernel: [Int]) -> [Int] {
        switch padding {
        case .zeroPadded: return input
        case .valid: return zip(input, kernel).map { $0 - $1 + 1 }
        case .full: return zip(input, kernel).map { $0 + $1 - 1 }
        }
    }
}

/// Row-major coordinates of a 0-based flat index in a grid, and back.
enum GridIndex {
    static func coordinates(_ flat: Int, _ grid: [Int]) -> [Int] {
        var rest = flat
        var out = [Int](repeating: 0, count: grid.count)
        for axis in grid.indices.reversed() {
            out[axis] = rest % grid[axis]
            rest /= grid[axis]
        }
        return out
    }

    static func flat(_ coordinates: [Int], _ grid: [Int]) -> Int {
        zip(coordinates, grid).reduce(0) { $0 * $1.1 + $1.0 }
    }
}

extension Evaluator {
    /// `kernel ⋆ map` at the output position in scope.
    func evaluate(correlation: Correlation, kernel: TeXExpression, map: TeXExpression, scope: Scope, offset: Int) throws -> Double {
        let (kernelAxis, kernelGrid) = try kernelGrid(kernel, correlation: correlation, offset: offset)
        guard let inputGrid = grids[correlation.input] else {
            throw FormulaError("\(correlation.symbol) slides over \(correlation.input), which no bound array has as its grid", at: offset,
                               hint: "bind the image with its grid index last, e.g. x_{n,c,\(correlation.input)}: input")
        }
        guard inputGrid.count == kernelGrid.count else {
            throw FormulaError("a \(kernelGrid.count)-D kernel slid over a \(inputGrid.count)-D grid", at: offset)
        }
        let outputGrid = correlation.outputGrid(input: inputGrid, kernel: kernelGrid)
        let call = TeXExpression.call(correlation.symbol, [kernel, map], offset: offset)
        // Read at every output position, and again by every formula that uses it (μ_x in four
        // places of SSIM): kept per position and per value of what the map reads.
        return try memo.value(.init(label: "correlation", what: call), in: scope) { scope in
            guard let point = scope[correlation.output] else {
                throw FormulaError("\(correlation.symbol) gives a map over \(correlation.output); use it where \(correlation.output) is bound",
                                   at: offset, hint: "inside \\sum_{\(correlation.output)}, or in a definition read there")
            }
            let position = Int(point) - 1
            guard position >= 0, position < outputGrid.reduce(1, *) else {
                throw FormulaError("\(correlation.output) = \(Int(point)) is outside the output grid \(outputGrid)", at: offset)
            }
            let out = GridIndex.coordinates(position, outputGrid)
            // The kernel's weights and the map's values at every position of their grids, each
            // kept for the values of what it reads besides its grid's index (which it binds
            // itself): a map position is read by every output whose window covers it, and
            // evaluated once (SSIM's x at each pixel, read by up to |w| positions of Ω′).
            // Apart: the map must not see the kernel's index bound (a map that takes an extreme
            // over its grid, `\min r`, looks for the one grid index in scope).
            let weights = try memo.map(.init(label: "correlation kernel over \(kernelAxis)", what: kernel), in: scope) { scope in
                var inner = scope
                return try (0..<kernelGrid.reduce(1, *)).map { t in
                    inner[kernelAxis] = Double(t + 1)
                    return try evaluate(kernel, scope: inner)
                }
            }
            let values = try memo.map(.init(label: "correlation map over \(correlation.input)", what: map), in: scope) { scope in
                var inner = scope
                return try (0..<inputGrid.reduce(1, *)).map { k in
                    inner[correlation.input] = Double(k + 1)
                    return try evaluate(map, scope: inner)
                }
            }
            var total = 0.0
            for t in 0..<kernelGrid.reduce(1, *) {
                let tap = GridIndex.coordinates(t, kernelGrid)
                var source: [Int] = []
                for axis in tap.indices {
                    let centre: Int
                    switch correlation.padding {
                    case .valid: centre = 0
                    case .zeroPadded: centre = (kernelGrid[axis] - 1) / 2
                    case .full: centre = kernelGrid[axis] - 1
                    }
                    let along = out[axis] + tap[axis] - centre
                    guard along >= 0, along < inputGrid[axis] else { break }
                    source.append(along)
                }
                // Zero padding (and a full correlation's margin): a tap outside the grid reads 0.
                guard source.count == tap.count else { continue }
                let weightAt = correlation.flipped ? zip(kernelGrid, tap).map { $0 - 1 - $1 } : tap
                let weight = weights[GridIndex.flat(weightAt, kernelGrid)]
                // A zero tap reads nothing (the cross's corners), as the libraries skip it.
                guard weight != 0 else { continue }
                total += Self.multiply(weight, values[GridIndex.flat(source, inputGrid)])
            }
            return total
        }
    }

    /// The kernel's grid index and shape: the last axis of the array the kernel reads.
    func kernelGrid(_ kernel: TeXExpression, correlation: Correlation, offset: Int) throws -> (String, [Int]) {
        var found: BoundArray?
        Self.walk(kernel) { e in
            if found == nil, case let .symbol(reference) = e, case let .array(array)? = values[reference.stem] { found = array }
        }
        guard let array = found, let axis = array.axes.last, axis != correlation.input, axis != correlation.output else {
            throw FormulaError("the kernel of \(correlation.symbol) reads no array over a grid of its own", at: offset,
                               hint: "bind it with its grid index, e.g. w_t: window")
        }
        return (axis, array.grid)
    }

    /// Gives each valid (or full) correlation's output index its extent and grid, from the kernels
    /// the formulas slide: Ω′ is known once the formula says which kernel. A full convolution over
    /// Ω′ (SSIM's w^⊤) waits for Ω′: repeated while a grid is added.
    mutating func registerOutputGrids() throws {
        var calls: [(Correlation, TeXExpression, Int)] = []
        let bodies = system.definitions.values.flatMap { [$0.body] + $0.alternatives }
            + system.indexed.values.flatMap { [$0.body] + $0.alternatives }
        for body in bodies {
            Self.walk(body) { e in
                if case let .call(name, arguments, offset) = e, let correlation = correlations[name], arguments.count == 2,
                   correlation.output != correlation.input {
                    calls.append((correlation, arguments[0], offset))
                }
            }
        }
        var pending = calls
        while !pending.isEmpty {
            var waiting: [(Correlation, TeXExpression, Int)] = []
            for call in pending where !(try register(call)) { waiting.append(call) }
            if waiting.count == pending.count { return }
            pending = waiting
        }
    }

    /// Registers one correlation's output grid; false while its input grid is unknown.
    private mutating func register(_ call: (Correlation, TeXExpression, Int)) throws -> Bool {
        let (correlation, kernel, offset) = call
        let (_, kernelGrid) = try self.kernelGrid(kernel, correlation: correlation, offset: offset)
        guard let inputGrid = grids[correlation.input] else { return false }
        guard inputGrid.count == kernelGrid.count else { return true }
        let grid = correlation.outputGrid(input: inputGrid, kernel: kernelGrid)
        guard grid.allSatisfy({ $0 > 0 }) else {
            throw FormulaError("a \(kernelGrid) kernel does not fit in the \(inputGrid) grid of \(correlation.input)", at: offset)
        }
        if let known = grids[correlation.output], known != grid {
            throw FormulaError("\(correlation.output) is the output grid \(known) of one kernel and \(grid) of another", at: offset)
        }
        grids[correlation.output] = grid
        extents[correlation.output] = grid.reduce(1, *)
        return true
    }
}
