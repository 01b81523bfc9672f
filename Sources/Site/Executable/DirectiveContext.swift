import Foundation

/// What some directives read besides their block and the loss library: the cited data of
/// `content/data/` (`cited-table`, `cited-plot`) and Graphviz (`loss-family`).
struct DirectiveContext: Sendable {
    /// `content/data/<id>.yaml`, by id.
    var citedData: [String: CitedDataset] = [:]
    var graphviz = Graphviz(cacheDirectory: nil)
}
