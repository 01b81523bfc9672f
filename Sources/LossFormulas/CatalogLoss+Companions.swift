import FormulaCheck
import Foundation
import Losses

/// Another catalog loss on a probe's input and target, for formulas built on it
/// (`∂L_pGD/∂L_GD` times the generalised Dice loss's gradient): a binding names
/// - `value of <id>`: its value under this loss's reduction, a number (a rank-0 array);
/// - `values of <id>`: its values with `reduction: none` (one per sample, or per element);
/// - `gradient of <id>`: its gradient under this loss's reduction.
/// The other loss takes the settings of this one that it accepts.
extension CatalogLoss {
    public func array(_ source: String, on probe: Probe) throws -> ProbeArray? {
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
