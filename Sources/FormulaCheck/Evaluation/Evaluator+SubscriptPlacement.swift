import Foundation

extension Evaluator {
    /// The axis each subscript fills when a reference gives fewer subscripts than its array has
    /// axes and the leading axes come from the scope: a subscript that is one of the trailing
    /// axes' names fills that axis, the others fill the remaining trailing axes in order.
    ///
    /// `s_i^j` over a probability stored as (n, c, i), in a gradient whose element index j runs
    /// over c (Dice + CE's chain through the softmax), reads s at i = i, c = j; filled by position
    /// alone it would read c = i, i = j. When no subscript names a trailing axis this is plain
    /// positional filling.
    static func subscriptPlacement(_ subscripts: [TeXExpression], among axes: [String]) -> [String] {
        let trailing = Array(axes.suffix(subscripts.count))
        let names = subscripts.map { expression -> String? in
            if case let .symbol(s) = expression, trailing.contains(s.fullName) { return s.fullName }
            return nil
        }
        var free = trailing.filter { !names.contains($0) }[...]
        return names.map { name in name ?? free.popFirst() ?? "" }
    }

    /// Where fewer subscripts than axes name one that is not among the trailing axes (`x_{t, l'_s}`
    /// over (t, n, c), read inside a per-sample formula): each subscript naming an axis fills it, the
    /// others fill, in order, the axes neither named nor `bound` in the scope. Nil when no subscript
    /// names such an axis, or the counts differ (the other rules apply).
    static func namedPlacement(_ subscripts: [TeXExpression], among axes: [String], bound: (String) -> Bool) -> [String]? {
        guard !subscripts.isEmpty, subscripts.count < axes.count else { return nil }
        let trailing = axes.suffix(subscripts.count)
        let names = subscripts.map { expression -> String? in
            if case let .symbol(s) = expression, s.subscriptText == nil, axes.contains(s.fullName) { return s.fullName }
            return nil
        }
        guard names.contains(where: { $0.map { !trailing.contains($0) } ?? false }) else { return nil }
        var free = axes.filter { !names.contains($0) && !bound($0) }[...]
        guard free.count == names.filter({ $0 == nil }).count else { return nil }
        return names.map { name in name ?? free.popFirst()! }
    }
}
