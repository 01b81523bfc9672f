extension Evaluator {
    /// The values in force where an expression is evaluated: indices (`i = 2` inside `\sum_i`)
    /// and a called function's parameters, by name.
    ///
    /// Inside a kept evaluation (`EvaluationMemo`) the scope also logs which names it was asked
    /// for that the kept evaluation did not bind itself: what its result can depend on, found
    /// while it runs rather than guessed from its text, since a reference can read indices it does
    /// not write (`p_i` inside a sum over n and c reads n and c from the scope). A name asked for
    /// and absent is logged too: whether it is bound can decide how a reference is read.
    public struct Scope: ExpressibleByDictionaryLiteral, Sendable {
        private struct Binding: Sendable {
            var value: Double
            /// The depth of the kept evaluation that bound it (0: none).
            var depth: Int
        }
        private var bindings: [String: Binding] = [:]
        /// How many kept evaluations this scope is inside: bindings made now carry it.
        private var depth = 0
        /// The log of the innermost kept evaluation; nil outside any.
        private var log: ReadLog?

        public init(dictionaryLiteral elements: (String, Double)...) {
            for (name, value) in elements { bindings[name] = Binding(value: value, depth: 0) }
        }

        public subscript(name: String) -> Double? {
            get {
                noteRead(name)
                return bindings[name]?.value
            }
            set { bindings[name] = newValue.map { Binding(value: $0, depth: depth) } }
        }

        /// Logs `name` as read from outside the innermost kept evaluation, unless it bound it itself.
        func noteRead(_ name: String) {
            guard let log else { return }
            if let binding = bindings[name], binding.depth == depth { return }
            log.names.insert(name)
        }

        /// The value of `name` (its bit pattern, exactly: +0 and −0 differ), without logging the read.
        func unloggedBits(_ name: String) -> UInt64? {
            bindings[name]?.value.bitPattern
        }

        /// This scope as seen by a kept evaluation that starts here and logs into `log`.
        func entering(_ log: ReadLog) -> Scope {
            var inner = self
            inner.depth = depth + 1
            inner.log = log
            return inner
        }
    }

    /// The names a kept evaluation read from the scope it started in.
    final class ReadLog: @unchecked Sendable {
        var names: Set<String> = []
    }
}
