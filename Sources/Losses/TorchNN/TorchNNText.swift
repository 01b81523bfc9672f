/// Catalog text shared by the `torch.nn` losses.
enum TorchNNText {

    static let pytorchDocs = "https://pytorch.org/docs/stable/nn.html#loss-functions"
}
