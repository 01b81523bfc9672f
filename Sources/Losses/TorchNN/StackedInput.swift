/// Losses of `torch.nn` that take several tensors of one shape (margin ranking's x1 and x2,
/// cosine embedding's pair, triplet's anchor, positive and negative) receive them stacked along
/// a new leading axis of the input, `[k, shape…]`; the gradient comes back in the same layout,
/// one block per tensor. This keeps the `Loss` protocol's one input, one target and the
/// `lossbook eval` case format unchanged.
enum StackedInput {
    /// The shape of one stacked tensor.
    /// - Throws: `LossError.shapeMismatch` unless `input` is `[count, shape…]`.
    static func partShape(_ id: String, _ input: Tensor, count: Int, names: String) throws -> [Int] {
        guard input.rank >= 1, input.shape[0] == count else {
            throw LossError.shapeMismatch("'\(id)' takes \(names) stacked along a leading axis of size \(count), "
                                          + "shape [\(count), …]; got \(input.shape)")
        }
        return Array(input.shape.dropFirst())
    }

    /// A whole number stored as `Float` (class index, length), or `nil`.
    static func wholeNumber(_ v: Float) -> Int? {
        guard v.isFinite, v == v.rounded(), abs(v) < 1e9 else { return nil }
        return Int(v)
    }
}

/// Catalog text shared by the `torch.nn` losses.
enum TorchNNText {
    static let clampGradient = Localized(
        zh: "$\\max(0, z)$ 在 z = 0 处的梯度取 0，与 PyTorch 的 clamp_min 相同（只有 z > 0 时梯度通过）。",
        en: "At z = 0 the gradient of $\\max(0, z)$ is 0, as PyTorch's clamp_min gives (the gradient passes only where z > 0).")

    static let perSampleReduction = Localized(
        zh: "mean 对样本取平均（N 个样本），sum 求和，none 返回形状 [N]（无批次时为 []）的逐样本损失。",
        en: "mean averages over the N samples, sum adds them, none returns the per-sample losses, shape [N] ([] without a batch axis).")

    static let pytorchDocs = "https://pytorch.org/docs/stable/nn.html#loss-functions"
}
