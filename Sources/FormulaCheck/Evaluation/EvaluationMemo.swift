import Foundation

/// What an evaluator has computed and may reuse: a definition read at every element of a gradient
/// (`\mathcal{L}_{\text{HD-DT}}`, a mean over the whole probe inside the chain rule), a
/// transform of a whole mask read at every position.
///
/// A result is kept with the names its evaluation read from the scope it started in and their
/// values there (`Evaluator.Scope` logs them as it runs): bound or not, and the value's exact
/// bits. It is reused where every one of those names has the same value — the evaluation would
/// read the same things and take the same path, so it would give the same result — whatever
/// the other names hold. A definition that reads no index from outside (an index-free mean) is
/// computed once per probe; one that fills an index from its context (`p_i` reading n and c) is
/// kept per value of that index. The evaluator's bound values, extents, system and mask
/// functions are fixed for the memo's life: changing any of them starts a new memo.
final class EvaluationMemo: @unchecked Sendable {
    struct Key: Hashable {
        /// What is kept, e.g. `definition \mathcal{L}`, `\operatorname{edt} over i`.
        var label: String
        /// The expression, where the label does not name it alone.
        var what: TeXExpression?
    }

    enum Result {
        case value(Double)
        case map([Double])
    }

    /// The results of one key that read the same names, by those names' values.
    private struct Shape {
        var names: [String]
        var results: [[UInt64?]: Result]
    }

    private var shapes: [Key: [Shape]] = [:]
    private var flags: [String: Bool] = [:]
    /// How many results of each label were computed rather than reused (for tests).
    private(set) var computations: [String: Int] = [:]
    private let lock = NSLock()

    /// The kept result of `key` for `scope`, or `compute`'s, run in a scope that logs its reads
    /// and kept. Either way the names it depends on are logged in `scope` as read, so a kept
    /// evaluation around this one depends on them too.
    func result(_ key: Key, in scope: Evaluator.Scope, _ compute: (Evaluator.Scope) throws -> Result) rethrows -> Result {
        let hit: (names: [String], result: Result)? = lock.withLock {
            for shape in shapes[key] ?? [] {
                if let result = shape.results[shape.names.map(scope.unloggedBits)] { return (shape.names, result) }
            }
            return nil
        }
        if let hit {
            for name in hit.names { scope.noteRead(name) }
            return hit.result
        }
        let log = Evaluator.ReadLog()
        // Passed on even when it throws: whatever catches the error depends on them too.
        defer { for name in log.names { scope.noteRead(name) } }
        let result = try compute(scope.entering(log))
        let names = log.names.sorted()
        let values = names.map(scope.unloggedBits)
        lock.withLock {
            computations[key.label, default: 0] += 1
            if let k = shapes[key]?.firstIndex(where: { $0.names == names }) {
                shapes[key]![k].results[values] = result
            } else {
                shapes[key, default: []].append(Shape(names: names, results: [values: result]))
            }
        }
        return result
    }

    func value(_ key: Key, in scope: Evaluator.Scope, _ compute: (Evaluator.Scope) throws -> Double) rethrows -> Double {
        guard case let .value(x) = try result(key, in: scope, { .value(try compute($0)) }) else { preconditionFailure("a map kept as \(key)") }
        return x
    }

    func map(_ key: Key, in scope: Evaluator.Scope, _ compute: (Evaluator.Scope) throws -> [Double]) rethrows -> [Double] {
        guard case let .map(xs) = try result(key, in: scope, { .map(try compute($0)) }) else { preconditionFailure("a value kept as \(key)") }
        return xs
    }

    /// A fact about a definition that depends only on the evaluator's system and functions
    /// (whether it reads a mask function, whether it is worth keeping), computed once.
    func flag(_ name: String, _ compute: () -> Bool) -> Bool {
        if let known = lock.withLock({ flags[name] }) { return known }
        let value = compute()
        lock.withLock { flags[name] = value }
        return value
    }
}
