/// Plain `Double` reference implementations of every catalog loss, written straight from the
/// formulas and sharing no code with `Losses`: the independent check the tests compare the
/// library with, and the site generator's way to verify every printed number.
///
/// ```swift
/// let input = try RefArray(shape: [2, 3], data: [0.1, 2, -1, 0, 0.5, 3])
/// let target = try RefArray(shape: [2], data: [1, 2])
/// let loss = try ReferenceLosses.value(id: "cross-entropy", input: input, target: target,
///                                      parameters: ["label_smoothing": .number(0.1)])
/// ```
///
/// Parameter names, defaults and reductions are the catalog's (`Losses.Catalog`); the
/// reference keeps its own copy of the defaults (`defaults(id:)`) so a test can check the two
/// agree. Values come back as shape `[]` for `mean`/`sum` and unreduced for `none`, exactly as
/// `Losses` returns them.
public enum ReferenceLosses {
    /// Every loss id the reference implements, in catalog order.
    public static var ids: [String] { entries.map(\.id) }

    /// The reference's defaults for a loss's parameters.
    public static func defaults(id: String) throws -> [String: RefParameter] {
        try entry(id).defaults
    }

    /// The loss value.
    /// - Parameters:
    ///   - id: a catalog id (`cross-entropy`, `dice`, …).
    ///   - input: the prediction, in the loss's input convention.
    ///   - target: the ground truth (`nil` for regularisers).
    ///   - parameters: any subset of the loss's parameters; the rest take their defaults.
    /// - Returns: shape `[]` for `reduction` `mean`/`sum`, the unreduced values for `none`.
    public static func value(id: String, input: RefArray, target: RefArray?,
                             parameters: [String: RefParameter] = [:]) throws -> RefArray {
        let entry = try entry(id)
        let parameters = try RefParameters(parameters, defaults: entry.defaults)
        return try entry.evaluate(input, target, parameters)
    }

    /// `∂(Σ value)/∂input` by central differences of the reference, step `h` per element:
    /// `(f(x + h e_i) − f(x − h e_i)) / 2h`. Truncation error O(h² f'''), rounding O(ε f / h);
    /// the default h = 1e-5 balances them near 1e-10 for O(1) losses in `Double`.
    /// Meaningless where the loss has a kink or a jump within h of `input` (callers keep away).
    public static func finiteDifferenceGradient(id: String, input: RefArray, target: RefArray?,
                                                parameters: [String: RefParameter] = [:],
                                                step h: Double = 1e-5) throws -> RefArray {
        var gradient = RefArray(shape: input.shape, repeating: 0)
        var shifted = input
        for i in 0..<input.count {
            shifted.data[i] = input.data[i] + h
            let up = try value(id: id, input: shifted, target: target, parameters: parameters).data.reduce(0, +)
            shifted.data[i] = input.data[i] - h
            let down = try value(id: id, input: shifted, target: target, parameters: parameters).data.reduce(0, +)
            shifted.data[i] = input.data[i]
            gradient.data[i] = (up - down) / (2 * h)
        }
        return gradient
    }

    /// Whether a number printed by the site (or computed by `Losses`) agrees with the reference:
    /// `|value − reference| ≤ relativeTolerance·|reference| + absoluteTolerance·max(1, max|reference|)`
    /// for every element. The defaults are the criterion (1e-5 relative) and a float32
    /// allowance for losses that are differences of O(1) terms (1e-6).
    /// - Parameter value: the reduced value (one element) or the unreduced values, row-major.
    public static func agrees(_ value: [Double], id: String, input: RefArray, target: RefArray?,
                              parameters: [String: RefParameter] = [:],
                              relativeTolerance: Double = 1e-5, absoluteTolerance: Double = 1e-6) throws -> Bool {
        let reference = try self.value(id: id, input: input, target: target, parameters: parameters).data
        guard reference.count == value.count else { return false }
        let scale = max(1, reference.map(abs).max() ?? 0)
        return zip(value, reference).allSatisfy { v, r in
            (v.isNaN && r.isNaN) || v == r || abs(v - r) <= relativeTolerance * abs(r) + absoluteTolerance * scale
        }
    }

    // MARK: - Implementation details

    struct Entry: Sendable {
        let id: String
        let defaults: [String: RefParameter]
        let evaluate: @Sendable (RefArray, RefArray?, RefParameters) throws -> RefArray
    }

    static func entry(_ id: String) throws -> Entry {
        guard let entry = entries.first(where: { $0.id == id }) else { throw ReferenceError.unknownLoss(id) }
        return entry
    }

    static let entries: [Entry] =
        genericEntries + distributionEntries + regionEntries + boundaryEntries + compoundEntries + regularizationEntries
        + torchNNEntries + detectionEntries + segmentationExtraEntries + topologyEntries + lovaszHingeEntries + ssimEntries
        + unifiedFocalEntries

    static let reductionDefault: [String: RefParameter] = ["reduction": .string("mean")]
}
