import Foundation

/// MONAI's remaining segmentation losses and the erosion Hausdorff loss (issue 17.3), written
/// from their definitions in plain `Double`, on the reference's own building blocks.
extension ReferenceLosses {
    static var segmentationExtraEntries: [Entry] {
        [
            // MONAI GeneralizedDiceFocalLoss: λ_gdl · GDL + λ_focal · the sigmoid focal term of
            // the kept channels (weight on the focal term only, no alpha).
            Entry(id: "generalized-dice-focal", defaults: [
                "include_background": .bool(true), "w_type": .string("square"), "smooth_nr": .number(1e-5),
                "smooth_dr": .number(1e-5), "batch": .bool(false), "gamma": .number(2), "weight": .numbers([]),
                "lambda_gdl": .number(1), "lambda_focal": .number(1), "activation": .string("softmax"),
                "reduction": .string("mean"),
            ]) { input, target, p in
                let gdl = try component("generalized-dice", input, target, p)
                let focal = try monaiSigmoidFocal(input, target, p, alpha: [])
                return RefArray(scalar: try p.number("lambda_gdl") * gdl + (try p.number("lambda_focal")) * focal)
            },
            Entry(id: "masked-dice", defaults: [
                "include_background": .bool(true), "smooth_nr": .number(1e-5), "smooth_dr": .number(1e-5),
                "squared_pred": .bool(false), "jaccard": .bool(false), "batch": .bool(false), "weight": .numbers([]),
                "soft_label": .bool(false), "activation": .string("softmax"), "reduction": .string("mean"),
            ]) { input, target, p in
                try maskedDice(input, target, p)
            },
            // MONAI LogHausdorffDTLoss: log(1 + ·) of the reduced hausdorff-dt (of each entry with none).
            Entry(id: "log-hausdorff-dt", defaults: [
                "alpha": .number(2), "include_background": .bool(false), "batch": .bool(false), "spacing": .numbers([]),
                "activation": .string("softmax"), "reduction": .string("mean"),
            ]) { input, target, p in
                var result = try value(id: "hausdorff-dt", input: input, target: target, parameters: p.values)
                result.data = result.data.map { log1p($0) }
                return result
            },
        ]
    }
}

extension ReferenceLosses {
    /// MONAI MaskedDiceLoss, from its definition: `dice` of the probabilities and the dense
    /// target both multiplied by the mask m, `Dice(σ(x)·m, g·m)` with no further activation. The
    /// mask is the target's last channel (`[N, C + 1, …]` dense target then mask, or `[N, 2, …]`
    /// class indices then mask), 0 or 1.
    static func maskedDice(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard let target, input.shape.count >= 2, target.shape.count == input.shape.count else {
            throw ReferenceError.invalidInput("masked-dice needs a target [N, C + 1, …] or [N, 2, …]")
        }
        let n = input.shape[0], c = input.shape[1], s = input.count / max(1, n * c)
        let channels = target.shape[1] - 1
        guard target.shape[0] == n, channels == c || channels == 1, target.count == n * (channels + 1) * s else {
            throw ReferenceError.invalidInput("masked-dice: target \(target.shape) for input \(input.shape)")
        }
        var mask = [Double](), labels = [Double]()
        for b in 0..<n {
            for k in 0...channels {
                for x in 0..<s {
                    let v = target.data[(b * (channels + 1) + k) * s + x]
                    if k == channels {
                        guard v == 0 || v == 1 else { throw ReferenceError.invalidInput("masked-dice: mask value \(v)") }
                        mask.append(v)
                    } else {
                        labels.append(v)
                    }
                }
            }
        }
        let spatialShape = Array(input.shape.dropFirst(2))
        let plainTarget = try RefArray(shape: channels == c ? input.shape : [n] + spatialShape, data: labels)
        let scores = try RefClassScores(input, activation: try p.activation())
        let dense = try RefClassTarget(plainTarget, for: scores)
        var maskedP = try RefArray(shape: input.shape, data: scores.p)
        var maskedG = try RefArray(shape: input.shape, data: dense.t)
        for b in 0..<n {
            for k in 0..<c {
                for x in 0..<s {
                    let i = (b * c + k) * s + x
                    maskedP.data[i] *= mask[b * s + x]
                    maskedG.data[i] *= mask[b * s + x]
                }
            }
        }
        var values: [String: RefParameter] = [:]
        for name in ["include_background", "smooth_nr", "smooth_dr", "squared_pred", "jaccard", "batch", "weight",
                     "soft_label", "reduction"] {
            values[name] = p.values[name] ?? p.defaults[name]
        }
        values["activation"] = .string("none")
        return try value(id: "dice", input: maskedP, target: maskedG, parameters: values)
    }
}
