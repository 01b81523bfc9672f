import Foundation

/// Weight penalties: the input holds the weights, there is no target.
extension ReferenceLosses {
    static var regularizationEntries: [Entry] {
        [
            Entry(id: "l1-regularization", defaults: reductionDefault.merging(["lambda": .number(1)]) { $1 }) { input, _, p in
                let lambda = try p.number("lambda")
                return RefMath.reduce(input.data.map { lambda * abs($0) }, shape: input.shape, try p.reduction())
            },
            Entry(id: "l2-regularization", defaults: reductionDefault.merging(["lambda": .number(1)]) { $1 }) { input, _, p in
                let lambda = try p.number("lambda")
                return RefMath.reduce(input.data.map { lambda * $0 * $0 }, shape: input.shape, try p.reduction())
            },
        ]
    }
}
