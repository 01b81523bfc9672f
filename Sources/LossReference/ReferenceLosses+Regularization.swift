import Foundation

/// Weight penalties: the input holds the weights, there is no target.
/// `λ Σ|w|` and `(λ/2) Σ w²` (gradient λw, PyTorch's `weight_decay`); default reduction `sum`.
extension ReferenceLosses {
    static var regularizationEntries: [Entry] {
        [
            Entry(id: "l1-regularization", defaults: ["reduction": .string("sum"), "lambda": .number(0.01)]) { input, _, p in
                let lambda = try p.number("lambda")
                return RefMath.reduce(input.data.map { lambda * abs($0) }, shape: input.shape, try p.reduction())
            },
            Entry(id: "l2-regularization", defaults: ["reduction": .string("sum"), "lambda": .number(0.01)]) { input, _, p in
                let lambda = try p.number("lambda")
                return RefMath.reduce(input.data.map { lambda / 2 * $0 * $0 }, shape: input.shape, try p.reduction())
            },
        ]
    }
}
