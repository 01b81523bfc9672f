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
        ]
    }
}
