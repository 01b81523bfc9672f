import Yams

extension DirectiveSpec {
    /// Counts the work a block asks for from its YAML nodes, before any tensor is built or loss
    /// evaluated: loss evaluations (`vary` × `series` × `losses`, or `cases` × `series`, or plot
    /// `points` × series), each weighted by the elements of its input (a `mask` grid or a case's
    /// tensor). More than `limits.blockEvaluations` is an error at the opening fence.
    func checkWork() throws {
        guard let (work, product) = work(), work > limits.blockEvaluations else { return }
        throw error("this block asks for \(work) loss evaluations (\(product)), more than the limit of \(limits.blockEvaluations)",
                    hint: "ask for fewer values, " + Limits.raise("block_evaluations"))
    }

    /// The loss evaluations the block asks for, with the product that makes them (`vary 5 × mask 25`);
    /// nil for the kinds whose work is fixed.
    func work() -> (count: Int, product: String)? {
        func values(_ key: String) -> Int? { node(key)?.mapping?.first?.value.sequence?.count }
        let columns = max(1, values("series") ?? 1)
        let losses = max(1, node("losses")?.sequence?.count ?? 1)
        let mask = maskElements()
        var factors: [(String, Int)] = []
        switch kind {
        case .table, .grad:
            if let cases = node("cases")?.sequence {
                let elements = cases.reduce(0) { total, item in
                    guard let input = item.mapping?.first(where: { $0.key.string == "input" })?.value else { return total }
                    return Self.saturating(total, Self.elements(input))
                }
                factors = [("cases' elements", elements), ("series", columns)]
            } else {
                factors = [("vary", max(1, values("vary") ?? 1)), ("series", columns), ("losses", losses), ("mask", mask)]
            }
        case .plot:
            var points = 101
            if case let .scalar(scalar)? = node("points"), let n = Int(scalar.string) { points = n }
            factors = [("points", max(1, points)), ("series", columns), ("losses", losses), ("mask", mask)]
        case .distanceMap:
            factors = [("mask", mask)]
        // `loss-properties` does a fixed amount of work per loss, which its author cannot raise.
        case .formula, .code, .citedTable, .citedPlot, .family, .checkedFormula, .properties:
            return nil
        }
        let work = factors.reduce(1) { Self.multiply($0, $1.1) }
        return (work, factors.filter { $0.1 > 1 }.map { "\($0.0) \($0.1)" }.joined(separator: " × "))
    }

    /// The most numbers one tensor written in the block holds: a case's `input` or `target`, a
    /// `mask` grid (words of its text), as `checkElements` counts them.
    func largestTensor() -> Int {
        var largest = 0
        for item in node("cases")?.sequence ?? [] {
            for pair in item.mapping ?? [:] where ["input", "target"].contains(pair.key.string ?? "") {
                largest = max(largest, Self.elements(pair.value))
            }
        }
        if let mask = node("mask") {
            var grids = mask.mapping.map { $0.filter { $0.key.string != "predictions" }.map(\.value) } ?? [mask]
            grids += mask.mapping?.first { $0.key.string == "predictions" }?.value.mapping?.map(\.value) ?? []
            for case let .scalar(scalar) in grids { largest = max(largest, Self.words(scalar.string)) }
        }
        return largest
    }

    /// A tensor or grid written in the block may hold at most `limits.tensorElements` numbers.
    func checkElements(_ count: Int, _ key: String, at node: Node) throws {
        guard count > limits.tensorElements else { return }
        throw error("'\(key)' holds \(count) numbers, more than the limit of \(limits.tensorElements) per tensor",
                    at: node, hint: "use a smaller example, " + Limits.raise("tensor_elements"))
    }

    /// Numbers in the `mask` target grid (1 without a mask), counted as words of its text.
    private func maskElements() -> Int {
        guard let mask = node("mask") else { return 1 }
        let grid = mask.mapping?.first(where: { $0.key.string == "target" })?.value ?? mask
        guard case let .scalar(scalar) = grid else { return 1 }
        return max(1, Self.words(scalar.string))
    }

    /// Words of a grid's text (separated by spaces, commas, tabs and line breaks).
    static func words(_ text: String) -> Int {
        var count = 0, inWord = false
        for byte in text.utf8 {
            let separator = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x2C || byte == 0x0D
            if !separator, !inWord { count += 1 }
            inWord = !separator
        }
        return count
    }

    /// Elements of a nested list, from the lengths along its first elements.
    static func elements(_ node: Node) -> Int {
        var count = 1
        var current = node
        while let sequence = current.sequence {
            count = multiply(count, sequence.count)
            guard let first = sequence.first else { break }
            current = first
        }
        return max(1, count)
    }

    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }

    static func saturating(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }
}
