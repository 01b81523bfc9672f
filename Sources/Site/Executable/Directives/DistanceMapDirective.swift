import Foundation
import LossReference
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
        try verify(values, kind: kind, bits: bits, shape: shape, spacing: spacing, spec: spec)
        let rows = (0..<mask.rows).map { r in Array(values[(r * mask.columns)..<((r + 1) * mask.columns)]) }
        let title = try spec.string("title") ?? kind
        let heatmap = SVGHeatmap(title: title, values: rows, labels: try spec.bool("labels", default: mask.rows * mask.columns <= 144))
        let html = "<figure class=\"executed heatmap\">\n\(heatmap.render(idPrefix: "map-" + BlockOutput.fenceLineToken))\n<figcaption>\(escapeHTML(title))</figcaption>\n</figure>\n"
        return Expansion(output: .figure(html), mentions: [], fixes: [])
    }

    /// Every distance of the map against the brute-force reference transform (`LossReference`),
    /// which shares no code with the linear-time one: within 1e-9 relative (both are exact).
    private func verify(_ values: [Double], kind: String, bits: [Bool], shape: [Int], spacing: [Double]?,
                        spec: DirectiveSpec) throws {
        let mask = try RefArray(shape: shape, data: bits.map { $0 ? 1 : 0 })
        let reference: RefArray
        switch kind {
        case "signed": reference = try ReferenceDistanceTransform.signedBoundaryMap(mask, spacing: spacing)
        case "karimi": reference = try ReferenceDistanceTransform.boundaryDistanceMap(mask, spacing: spacing)
        default: reference = try ReferenceDistanceTransform.edt(mask, spacing: spacing)
        }
        let tolerance = LossRunner.Tolerance(relative: 1e-9, absolute: 1e-12)
        for (i, (ours, exact)) in zip(values, reference.data).enumerated() where !tolerance.accepts(ours, exact) {
            throw spec.error("verification failed: the \(kind) distance at row \(i / shape[1] + 1), column \(i % shape[1] + 1) is \(ours) "
                             + "but the brute-force reference gives \(exact)",
                             hint: "the library and its reference disagree: fix the distance transform, not the note")
        }
    }
}
