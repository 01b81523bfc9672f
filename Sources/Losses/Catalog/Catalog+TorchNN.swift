extension Catalog {
    /// The remaining `torch.nn` losses (issue 17), in the order the reference index lists them
    /// within their categories.
    static let torchNNLosses: [any Loss.Type] = [
        NLLLoss.self, PoissonNLLLoss.self, GaussianNLLLoss.self, MarginRankingLoss.self, HingeEmbeddingLoss.self,
        MultiLabelMarginLoss.self, MultiLabelSoftMarginLoss.self, CosineEmbeddingLoss.self, MultiMarginLoss.self,
        TripletMarginLoss.self, CTCLoss.self,
    ]
}
