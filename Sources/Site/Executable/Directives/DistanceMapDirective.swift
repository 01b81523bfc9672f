import Foundation
import Losses
import Yams

extension DirectiveExpander {
    // MARK: - distance-map

    func distanceMap(_ spec: DirectiveSpec) throws -> Expansion {
        guard let mask = try spec.mask() else { throw spec.error("distance-map needs a 'mask' grid") }
        let kind = try spec.string("kind") ?? "edt"
        let shape = [mask.rows, mask.columns]
        let bits = mask.target.flatMap { $0 }.map { $0 > 0.5 }
        var spacing: [Double]?
        if let node = spec.node("spacing") { spacing = try spec.numbers(node, "spacing") }
        let values: [Double]
        do {
            switch kind {
            case "edt": values = try DistanceTransform.euclidean(bits, shape: shape, spacing: spacing)
            case "signed": values = try DistanceTransform.signedBoundaryMap(bits, shape: shape, spacing: spacing)
            case "karimi": values = try DistanceTransform.boundaryDistanceMap(bits, shape: shape, spacing: spacing)
            default: throw spec.error("unknown kind '\(kind)'", at: spec.node("kind"), hint: "one of edt, signed, karimi")
            }
        } catch let error as LossError {
            throw spec.error(error.description, at: spec.node("spacing"))
        }
        let rows = (0..<mask.rows).map { r in Array(values[(r * mask.columns)..<((r + 1) * mask.columns)]) }
        let title = try spec.string("title") ?? kind
        let heatmap = SVGHeatmap(title: title, values: rows, labels: try spec.bool("labels", default: mask.rows * mask.columns <= 144))
        let html = "<figure class=\"executed heatmap\">\n\(heatmap.render(idPrefix: "map-" + BlockOutput.fenceLineToken))\n<figcaption>\(escapeHTML(title))</figcaption>\n</figure>\n"
        return Expansion(output: .figure(html), mentions: [], fixes: [])
    }
}
