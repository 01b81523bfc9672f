/// The parameters every region and boundary loss reads the same way — `include_background`,
/// `batch`, `activation`, `reduction` — and the `RegionProblem` they set up.
struct RegionSettings: Sendable {
    let includeBackground: Bool
    let batch: Bool
    let activation: Activation
    let reduction: Reduction

    init(_ parameters: Parameters) throws {
        includeBackground = try parameters.bool("include_background")
        batch = try parameters.bool("batch")
        activation = try parameters.activation()
        reduction = try parameters.reduction()
    }

    /// Validates `input` and `target` and computes the probabilities (see `RegionProblem.init`).
    func problem(_ input: Tensor, target: Tensor?, ignoreIndex: Int? = nil, softLabel: Bool = false) throws -> RegionProblem {
        try RegionProblem(input, target: target, activation: activation, includeBackground: includeBackground, batch: batch,
                          ignoreIndex: ignoreIndex, softLabel: softLabel)
    }
}
