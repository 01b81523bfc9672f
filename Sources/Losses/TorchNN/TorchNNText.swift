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
