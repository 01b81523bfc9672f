import FormulaCheck
import Foundation
import Losses

/// Another catalog loss on a probe's input and target, for formulas built on it
/// (`∂L_pGD/∂L_GD` times the generalised Dice loss's gradient): a binding names
/// - `value of <id>`: its value under this loss's reduction, a number (a rank-0 array);
/// - `values of <id>`: its values with `reduction: none` (one per sample, or per element);
/// - `gradient of <id>`: its gradient under this loss's reduction.
/// The other loss takes the settings of this one that it accepts.
/// And `class distances`, the C × C matrix M of `dist_matrix` as its description defines it.
extension CatalogLoss {
    public func array(_ source: String, on probe: Probe) throws -> ProbeArray? {
        if source == "class distances" { return try classDistances(on: probe) }
        if let image = try imageArray(source, on: probe) { return image }
        if let alignments = try alignmentArray(source, on: probe) { return alignments }
        let gradient: Bool, id: String, reduced: Bool
        if source.hasPrefix("value of ") {
            (gradient, id, reduced) = (false, String(source.dropFirst("value of ".count)), true)
        } else if source.hasPrefix("values of ") {
            (gradient, id, reduced) = (false, String(source.dropFirst("values of ".count)), false)
        } else if source.hasPrefix("gradient of ") {
            (gradient, id, reduced) = (true, String(source.dropFirst("gradient of ".count)), true)
        } else {
            return nil
        }
        guard let input = probe.arrays["input"] else { throw FormulaError("probe '\(probe.label)' has no input") }
        let descriptor = try Catalog.descriptor(for: id)
        var values = parameters.values.filter { name, _ in descriptor.parameters.contains { $0.name == name } }
        if !reduced { values["reduction"] = .string("none") }
        let other = try Catalog.make(id, values)
        let target = try probe.arrays["loss target"].map { try Tensor(shape: $0.shape, data: $0.values.map(Float.init)) }
        let output = try other.evaluate(try Tensor(shape: input.shape, data: input.values.map(Float.init)), target: target,
                                        gradient: gradient)
        if !gradient {
            let data = output.value.data.map(Double.init)
            return reduced ? ProbeArray(shape: [], values: [data.reduce(0, +)]) : ProbeArray(shape: [data.count], values: data)
        }
        guard let g = output.gradient else { throw FormulaError("'\(id)' gives no gradient") }
        return ProbeArray(shape: input.shape, values: g.data.map(Double.init))
    }
}

extension CatalogLoss {
    /// `dist_matrix` as its description says the loss reads it: C × C row-major (C the input's
    /// axis 1), divided by its largest entry; empty, the 0/1 distance 1 − I. Written from the
    /// parameter's documentation, not taken from the library, so the formula checks the reading too.
    func classDistances(on probe: Probe) throws -> ProbeArray {
        guard let input = probe.arrays["input"], input.shape.count >= 2 else { throw FormulaError("probe '\(probe.label)' has no class axis") }
        let classes = input.shape[1]
        let given = parameter("dist_matrix") ?? []
        if given.isEmpty {
            return ProbeArray(shape: [classes, classes], values: (0..<(classes * classes)).map { $0 / classes == $0 % classes ? 0 : 1 })
        }
        guard given.count == classes * classes, let largest = given.max(), largest > 0 else {
            throw FormulaError("dist_matrix has \(given.count) entries for \(classes) classes")
        }
        return ProbeArray(shape: [classes, classes], values: given.map { $0 / largest })
    }
}
