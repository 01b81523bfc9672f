import Foundation
import Losses
import XCTest

/// Every catalog loss's typed initialiser (`Sources/Losses/API/<Type>+Init.swift`) against the
/// catalog's string interface, on the inputs `ReferenceCases` generates for that id:
///
/// - `TypedInitialiserTests.table` has one entry per catalog id, and a new id without a typed
///   initialiser fails `testEveryCatalogIdHasATypedInitialiser`;
/// - with no arguments, the typed loss evaluates bit for bit as `Catalog.make(id, [:])` and holds
///   the same configuration (so its Swift defaults are the descriptor's);
/// - every catalog parameter has an argument, and each value the reference tests vary (every
///   choice, every reduction) gives the same bits, gradient and configuration as the catalog given
///   that value;
/// - an out-of-range value, derived from the descriptor's ranges, throws the very `LossError` the
///   catalog throws.
///
/// No expected number is written here: each side is the other's oracle.
final class TypedInitialiserTests: XCTestCase {
    // MARK: - The table: catalog id → its typed initialiser

    /// How a test builds one loss through its typed initialiser: once with every argument left
    /// at its default, once with every argument taken from catalog values.
    struct Entry {
        /// `SomeLoss()`: Swift's defaults.
        let defaults: () throws -> any Loss
        /// `SomeLoss(a: args.number("a"), …)`: one argument per catalog parameter.
        let configured: (TypedArguments) throws -> any Loss

        init(_ defaults: @escaping () throws -> any Loss, _ configured: @escaping (TypedArguments) throws -> any Loss) {
            self.defaults = defaults
            self.configured = configured
        }
    }

    static var table: [String: Entry] {
        [
            // Generic
            "zero-one": Entry({ try ZeroOneLoss() }) { a in try ZeroOneLoss(reduction: a.choice("reduction")) },
            "l1": Entry({ try L1Loss() }) { a in try L1Loss(reduction: a.choice("reduction")) },
            "l2": Entry({ try L2Loss() }) { a in try MSELoss(reduction: a.choice("reduction")) },
            "smooth-l1": Entry({ try SmoothL1Loss() }) { a in
                try SmoothL1Loss(beta: a.number("beta"), reduction: a.choice("reduction"))
            },
            "huber": Entry({ try HuberLoss() }) { a in try HuberLoss(delta: a.number("delta"), reduction: a.choice("reduction")) },
            "log-cosh": Entry({ try LogCoshLoss() }) { a in try LogCoshLoss(reduction: a.choice("reduction")) },
            "exponential": Entry({ try ExponentialLoss() }) { a in try ExponentialLoss(reduction: a.choice("reduction")) },
            "hinge": Entry({ try HingeLoss() }) { a in try HingeLoss(reduction: a.choice("reduction")) },
            "squared-hinge": Entry({ try SquaredHingeLoss() }) { a in try SquaredHingeLoss(reduction: a.choice("reduction")) },
            "soft-margin": Entry({ try SoftMarginLoss() }) { a in try SoftMarginLoss(reduction: a.choice("reduction")) },
            "kl-divergence": Entry({ try KLDivergenceLoss() }) { a in
                try KLDivergenceLoss(reduction: a.choice("reduction"), logTarget: a.bool("log_target"))
            },
            "binary-cross-entropy": Entry({ try BinaryCrossEntropyLoss() }) { a in
                try BinaryCrossEntropyLoss(weight: a.numbers("weight"), posWeight: a.numbers("pos_weight"),
                                           activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "perceptual": Entry({ try PerceptualLoss() }) { a in
                try PerceptualLoss(layerWeights: a.numbers("layer_weights"), reduction: a.choice("reduction"))
            },

            // Distribution
            "cross-entropy": Entry({ try CrossEntropyLoss() }) { a in
                try CrossEntropyLoss(weight: a.numbers("weight"), ignoreIndex: a.integer("ignore_index"),
                                     labelSmoothing: a.number("label_smoothing"), activation: a.choice("activation"),
                                     reduction: a.choice("reduction"))
            },
            "weighted-cross-entropy": Entry({ try WeightedCrossEntropyLoss() }) { a in
                try WeightedCrossEntropyLoss(weight: a.numbers("weight"), ignoreIndex: a.integer("ignore_index"),
                                             activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "topk": Entry({ try TopKLoss() }) { a in
                try TopKLoss(k: a.number("k"), weight: a.numbers("weight"), ignoreIndex: a.integer("ignore_index"),
                             activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "topk-threshold": Entry({ try TopKThresholdLoss() }) { a in
                try TopKThresholdLoss(threshold: a.number("threshold"), weight: a.numbers("weight"),
                                      ignoreIndex: a.integer("ignore_index"), activation: a.choice("activation"),
                                      reduction: a.choice("reduction"))
            },
            "focal": Entry({ try FocalLoss() }) { a in
                try FocalLoss(gamma: a.number("gamma"), alpha: a.numbers("alpha"), activation: a.choice("activation"),
                              reduction: a.choice("reduction"))
            },
            "dpce": Entry({ try DistancePenalizedCrossEntropyLoss() }) { a in
                try DistancePenalizedCrossEntropyLoss(weight: a.numbers("weight"), ignoreIndex: a.integer("ignore_index"),
                                                      labelSmoothing: a.number("label_smoothing"),
                                                      spacing: a.numbers("spacing"), activation: a.choice("activation"),
                                                      reduction: a.choice("reduction"))
            },

            // Region
            "sensitivity-specificity": Entry({ try SensitivitySpecificityLoss() }) { a in
                try SensitivitySpecificityLoss(includeBackground: a.bool("include_background"), r: a.number("r"),
                                               smoothDr: a.number("smooth_dr"), batch: a.bool("batch"),
                                               activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "dice": Entry({ try DiceLoss() }) { a in
                try DiceLoss(includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                             smoothDr: a.number("smooth_dr"), squaredPred: a.bool("squared_pred"), jaccard: a.bool("jaccard"),
                             batch: a.bool("batch"), weight: a.numbers("weight"), ignoreIndex: a.integer("ignore_index"),
                             softLabel: a.bool("soft_label"), activation: a.choice("activation"),
                             reduction: a.choice("reduction"))
            },
            "iou": Entry({ try IoULoss() }) { a in
                try IoULoss(includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                            smoothDr: a.number("smooth_dr"), batch: a.bool("batch"), activation: a.choice("activation"),
                            reduction: a.choice("reduction"))
            },
            "lovasz-softmax": Entry({ try LovaszSoftmaxLoss() }) { a in
                try LovaszSoftmaxLoss(classes: a.choice("classes"), perImage: a.bool("per_image"),
                                      ignoreIndex: a.integer("ignore_index"), activation: a.choice("activation"),
                                      reduction: a.choice("reduction"))
            },
            "tversky": Entry({ try TverskyLoss() }) { a in
                try TverskyLoss(includeBackground: a.bool("include_background"), alpha: a.number("alpha"),
                                beta: a.number("beta"), smoothNr: a.number("smooth_nr"), smoothDr: a.number("smooth_dr"),
                                batch: a.bool("batch"), ignoreIndex: a.integer("ignore_index"),
                                softLabel: a.bool("soft_label"), activation: a.choice("activation"),
                                reduction: a.choice("reduction"))
            },
            "generalized-dice": Entry({ try GeneralizedDiceLoss() }) { a in
                try GeneralizedDiceLoss(includeBackground: a.bool("include_background"), weightType: a.choice("w_type"),
                                        smoothNr: a.number("smooth_nr"), smoothDr: a.number("smooth_dr"),
                                        batch: a.bool("batch"), softLabel: a.bool("soft_label"),
                                        activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "focal-tversky": Entry({ try FocalTverskyLoss() }) { a in
                try FocalTverskyLoss(includeBackground: a.bool("include_background"), alpha: a.number("alpha"),
                                     beta: a.number("beta"), gamma: a.number("gamma"), smoothNr: a.number("smooth_nr"),
                                     smoothDr: a.number("smooth_dr"), batch: a.bool("batch"),
                                     activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "asymmetric": Entry({ try AsymmetricLoss() }) { a in
                try AsymmetricLoss(includeBackground: a.bool("include_background"), beta: a.number("beta"),
                                   smoothNr: a.number("smooth_nr"), smoothDr: a.number("smooth_dr"), batch: a.bool("batch"),
                                   activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "penalty-generalized-dice": Entry({ try PenaltyGeneralizedDiceLoss() }) { a in
                try PenaltyGeneralizedDiceLoss(k: a.number("k"), includeBackground: a.bool("include_background"),
                                               weightType: a.choice("w_type"), smoothNr: a.number("smooth_nr"),
                                               smoothDr: a.number("smooth_dr"), batch: a.bool("batch"),
                                               softLabel: a.bool("soft_label"), activation: a.choice("activation"),
                                               reduction: a.choice("reduction"))
            },

            // Boundary
            "boundary": Entry({ try BoundaryLoss() }) { a in
                try BoundaryLoss(includeBackground: a.bool("include_background"), batch: a.bool("batch"),
                                 spacing: a.numbers("spacing"), activation: a.choice("activation"),
                                 reduction: a.choice("reduction"))
            },
            "hausdorff-dt": Entry({ try HausdorffDTLoss() }) { a in
                try HausdorffDTLoss(alpha: a.number("alpha"), includeBackground: a.bool("include_background"),
                                    batch: a.bool("batch"), spacing: a.numbers("spacing"),
                                    activation: a.choice("activation"), reduction: a.choice("reduction"))
            },

            // Compound
            "dice-ce": Entry({ try DiceCELoss() }) { a in
                try DiceCELoss(includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                               smoothDr: a.number("smooth_dr"), squaredPred: a.bool("squared_pred"),
                               jaccard: a.bool("jaccard"), batch: a.bool("batch"), weight: a.numbers("weight"),
                               labelSmoothing: a.number("label_smoothing"), lambdaDice: a.number("lambda_dice"),
                               lambdaCE: a.number("lambda_ce"), activation: a.choice("activation"),
                               reduction: a.choice("reduction"))
            },
            "dice-focal": Entry({ try DiceFocalLoss() }) { a in
                try DiceFocalLoss(includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                                  smoothDr: a.number("smooth_dr"), squaredPred: a.bool("squared_pred"),
                                  jaccard: a.bool("jaccard"), batch: a.bool("batch"), weight: a.numbers("weight"),
                                  gamma: a.number("gamma"), alpha: a.numbers("alpha"), lambdaDice: a.number("lambda_dice"),
                                  lambdaFocal: a.number("lambda_focal"), activation: a.choice("activation"),
                                  reduction: a.choice("reduction"))
            },
            "generalized-dice-focal": Entry({ try GeneralizedDiceFocalLoss() }) { a in
                try GeneralizedDiceFocalLoss(includeBackground: a.bool("include_background"), weightType: a.choice("w_type"),
                                             smoothNr: a.number("smooth_nr"), smoothDr: a.number("smooth_dr"),
                                             batch: a.bool("batch"), gamma: a.number("gamma"), weight: a.numbers("weight"),
                                             lambdaGDL: a.number("lambda_gdl"), lambdaFocal: a.number("lambda_focal"),
                                             activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "masked-dice": Entry({ try MaskedDiceLoss() }) { a in
                try MaskedDiceLoss(includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                                   smoothDr: a.number("smooth_dr"), squaredPred: a.bool("squared_pred"),
                                   jaccard: a.bool("jaccard"), batch: a.bool("batch"), weight: a.numbers("weight"),
                                   softLabel: a.bool("soft_label"), activation: a.choice("activation"),
                                   reduction: a.choice("reduction"))
            },
            "log-hausdorff-dt": Entry({ try LogHausdorffDTLoss() }) { a in
                try LogHausdorffDTLoss(alpha: a.number("alpha"), includeBackground: a.bool("include_background"),
                                       batch: a.bool("batch"), spacing: a.numbers("spacing"), activation: a.choice("activation"),
                                       reduction: a.choice("reduction"))
            },
            "generalized-wasserstein-dice": Entry({ try GeneralizedWassersteinDiceLoss() }) { a in
                try GeneralizedWassersteinDiceLoss(distMatrix: a.numbers("dist_matrix"), weightingMode: a.choice("weighting_mode"),
                                                   smoothNr: a.number("smooth_nr"), smoothDr: a.number("smooth_dr"),
                                                   reduction: a.choice("reduction"))
            },
            "hausdorff-er": Entry({ try HausdorffERLoss() }) { a in
                try HausdorffERLoss(alpha: a.number("alpha"), erosions: a.integer("erosions"),
                                    includeBackground: a.bool("include_background"), batch: a.bool("batch"),
                                    activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "dice-topk": Entry({ try DiceTopKLoss() }) { a in
                try DiceTopKLoss(includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                                 smoothDr: a.number("smooth_dr"), squaredPred: a.bool("squared_pred"),
                                 jaccard: a.bool("jaccard"), batch: a.bool("batch"), weight: a.numbers("weight"),
                                 k: a.number("k"), lambdaDice: a.number("lambda_dice"), lambdaTopK: a.number("lambda_topk"),
                                 activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "exp-log": Entry({ try ExpLogLoss() }) { a in
                try ExpLogLoss(wDice: a.number("w_dice"), wCross: a.number("w_cross"), gammaDice: a.number("gamma_dice"),
                               gammaCross: a.number("gamma_cross"), weight: a.numbers("weight"),
                               includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                               smoothDr: a.number("smooth_dr"), batch: a.bool("batch"),
                               activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "combo": Entry({ try ComboLoss() }) { a in
                try ComboLoss(alpha: a.number("alpha"), beta: a.number("beta"),
                              includeBackground: a.bool("include_background"), smoothNr: a.number("smooth_nr"),
                              smoothDr: a.number("smooth_dr"), batch: a.bool("batch"),
                              activation: a.choice("activation"), reduction: a.choice("reduction"))
            },

            // Regularisers
            "l1-regularization": Entry({ try L1Regularization() }) { a in
                try L1Regularization(lambda: a.number("lambda"), reduction: a.choice("reduction"))
            },
            "l2-regularization": Entry({ try L2Regularization() }) { a in
                try L2Regularization(lambda: a.number("lambda"), reduction: a.choice("reduction"))
            },

            // The rest of torch.nn
            "nll": Entry({ try NLLLoss() }) { a in
                try NLLLoss(weight: a.numbers("weight"), ignoreIndex: a.integer("ignore_index"),
                            reduction: a.choice("reduction"))
            },
            "poisson-nll": Entry({ try PoissonNLLLoss() }) { a in
                try PoissonNLLLoss(logInput: a.bool("log_input"), full: a.bool("full"), eps: a.number("eps"),
                                   reduction: a.choice("reduction"))
            },
            "gaussian-nll": Entry({ try GaussianNLLLoss() }) { a in
                try GaussianNLLLoss(full: a.bool("full"), eps: a.number("eps"), reduction: a.choice("reduction"))
            },
            "margin-ranking": Entry({ try MarginRankingLoss() }) { a in
                try MarginRankingLoss(margin: a.number("margin"), reduction: a.choice("reduction"))
            },
            "hinge-embedding": Entry({ try HingeEmbeddingLoss() }) { a in
                try HingeEmbeddingLoss(margin: a.number("margin"), reduction: a.choice("reduction"))
            },
            "multilabel-margin": Entry({ try MultiLabelMarginLoss() }) { a in
                try MultiLabelMarginLoss(reduction: a.choice("reduction"))
            },
            "multilabel-soft-margin": Entry({ try MultiLabelSoftMarginLoss() }) { a in
                try MultiLabelSoftMarginLoss(weight: a.numbers("weight"), reduction: a.choice("reduction"))
            },
            "cosine-embedding": Entry({ try CosineEmbeddingLoss() }) { a in
                try CosineEmbeddingLoss(margin: a.number("margin"), reduction: a.choice("reduction"))
            },
            "multi-margin": Entry({ try MultiMarginLoss() }) { a in
                try MultiMarginLoss(p: a.integer("p"), margin: a.number("margin"), weight: a.numbers("weight"),
                                    reduction: a.choice("reduction"))
            },
            "triplet-margin": Entry({ try TripletMarginLoss() }) { a in
                try TripletMarginLoss(margin: a.number("margin"), p: a.number("p"), eps: a.number("eps"),
                                      swap: a.bool("swap"), reduction: a.choice("reduction"))
            },
            "ctc": Entry({ try CTCLoss() }) { a in
                try CTCLoss(blank: a.integer("blank"), zeroInfinity: a.bool("zero_infinity"),
                            inputLengths: a.integers("input_lengths"), targetLengths: a.integers("target_lengths"),
                            reduction: a.choice("reduction"))
            },
            // Detection (torchvision's box losses)
            "box-iou": Entry({ try BoxIoULoss() }) { a in try BoxIoULoss(eps: a.number("eps"), reduction: a.choice("reduction")) },
            "giou": Entry({ try GIoULoss() }) { a in try GIoULoss(eps: a.number("eps"), reduction: a.choice("reduction")) },
            "diou": Entry({ try DIoULoss() }) { a in try DIoULoss(eps: a.number("eps"), reduction: a.choice("reduction")) },
            "ciou": Entry({ try CIoULoss() }) { a in try CIoULoss(eps: a.number("eps"), reduction: a.choice("reduction")) },
            // Topology-aware segmentation (MONAI's clDice family, issue 17.3)
            "cldice": Entry({ try ClDiceLoss() }) { a in
                try ClDiceLoss(iter: a.integer("iter_"), smoothNr: a.number("smooth_nr"), smoothDr: a.number("smooth_dr"),
                               smooth: a.number("smooth"), includeBackground: a.bool("include_background"),
                               activation: a.choice("activation"), reduction: a.choice("reduction"))
            },
            "dice-cldice": Entry({ try DiceClDiceLoss() }) { a in
                try DiceClDiceLoss(iter: a.integer("iter_"), alpha: a.number("alpha"), smoothNr: a.number("smooth_nr"),
                                   smoothDr: a.number("smooth_dr"), smooth: a.number("smooth"),
                                   includeBackground: a.bool("include_background"), activation: a.choice("activation"),
                                   reduction: a.choice("reduction"))
            },
            "lovasz-hinge": Entry({ try LovaszHingeLoss() }) { a in
                try LovaszHingeLoss(perImage: a.bool("per_image"), ignoreIndex: a.integer("ignore_index"),
                                    reduction: a.choice("reduction"))
            },
            "unified-focal": Entry({ try AsymmetricUnifiedFocalLoss() }) { a in
                try AsymmetricUnifiedFocalLoss(toOnehotY: a.bool("to_onehot_y"), numClasses: a.integer("num_classes"),
                                               weight: a.number("weight"), gamma: a.number("gamma"),
                                               delta: a.number("delta"), reduction: a.choice("reduction"))
            },
            "ssim": Entry({ try SSIMLoss() }) { a in
                try SSIMLoss(spatialDims: a.integer("spatial_dims"), dataRange: a.number("data_range"),
                             kernelType: a.choice("kernel_type"), winSize: a.integer("win_size"),
                             kernelSigma: a.number("kernel_sigma"), k1: a.number("k1"), k2: a.number("k2"),
                             reduction: a.choice("reduction"))
            },
        ]
    }

    // MARK: - Tests

    func testEveryCatalogIdHasATypedInitialiser() {
        let ids = Set(Catalog.ids), typed = Set(Self.table.keys)
        XCTAssertTrue(ids == typed, """
            catalog ids without a typed initialiser in TypedInitialiserTests.table: \(ids.subtracting(typed).sorted()); \
            table entries that are not catalog ids: \(typed.subtracting(ids).sorted())
            """)
    }

    /// With every argument at its default the typed loss is the catalog's default loss: same
    /// configuration, and the same bits of value and gradient on every generated input that uses
    /// the default parameters.
    func testDefaultArgumentsBuildTheCatalogsDefaultLoss() throws {
        for id in idsUnderTest {
            guard let entry = Self.table[id] else { continue }   // reported by testEveryCatalogIdHasATypedInitialiser
            let typed = try entry.defaults()
            let catalog = try Catalog.make(id, [:])
            XCTAssertEqual(type(of: typed).descriptor.id, id, "\(id): the typed initialiser builds another loss")
            XCTAssertEqual(Self.configuration(typed), Self.configuration(catalog), "\(id): default configuration")
            let cases = try ReferenceCases.cases(for: id).filter { $0.parameters.isEmpty }
            XCTAssertFalse(cases.isEmpty, "\(id): no generated input with the default parameters")
            for c in cases {
                XCTAssertEqual(Outcome(typed, c), Outcome(catalog, c), "\(c): typed defaults vs Catalog.make(\"\(id)\", [:])")
            }
        }
    }

    /// Every catalog parameter has an argument, and every value the reference tests vary, every
    /// choice and every reduction reaches the loss as the catalog's value does.
    func testEveryArgumentReachesTheLossAsTheCatalogsValue() throws {
        for id in idsUnderTest {
            guard let entry = Self.table[id] else { continue }
            let descriptor = try Catalog.descriptor(for: id)
            let cases = try ReferenceCases.cases(for: id)
            guard let base = cases.first else { XCTFail("\(id): no generated input"); continue }
            var variations = cases
            for spec in descriptor.parameters {
                guard case let .choice(options) = spec.kind else { continue }
                for option in options {
                    var c = base
                    c.parameters[spec.name] = .string(option)
                    c.scenario += ", \(spec.name)=\(option)"
                    variations.append(c)
                }
            }
            let baseOutcome = Outcome(try Catalog.make(id, base.parameters), base)
            var changed = 0
            for c in variations {
                let arguments = TypedArguments(descriptor, c.parameters)
                let typed: any Loss
                do {
                    typed = try entry.configured(arguments)
                } catch let error as TypedArguments.Unrepresentable {
                    XCTFail("\(c): the typed initialiser cannot take \(error)")
                    continue
                } catch {
                    // Rejected: the catalog must reject these values with the same error.
                    XCTAssertEqual(Outcome(error), Outcome { try Catalog.make(id, c.parameters) }, "\(c): typed error vs catalog error")
                    continue
                }
                XCTAssertEqual(arguments.read, Set(descriptor.parameters.map(\.name)),
                               "\(id): the typed initialiser's arguments are not the catalog's parameters")
                let catalog = try Catalog.make(id, c.parameters)
                XCTAssertEqual(Self.configuration(typed), Self.configuration(catalog), "\(c): configuration")
                let outcome = Outcome(typed, c)
                XCTAssertEqual(outcome, Outcome(catalog, c), "\(c): typed vs catalog")
                if c.varied != nil, c.input == base.input, c.target == base.target, outcome != baseOutcome { changed += 1 }
            }
            // The generated inputs see the parameters at all: some varied value changes the loss.
            if cases.contains(where: { $0.varied != nil }) {
                XCTAssertGreaterThan(changed, 0, "\(id): no varied parameter changed the value on the generated input")
            }
        }
    }

    /// An out-of-range value, from each parameter's range in the descriptor (and the choices of
    /// `Activation` and `Reduction` a loss does not offer), throws the catalog's very `LossError`.
    func testOutOfRangeArgumentsThrowTheCatalogsError() throws {
        var checked = 0
        for id in idsUnderTest {
            guard let entry = Self.table[id] else { continue }
            let descriptor = try Catalog.descriptor(for: id)
            for spec in descriptor.parameters {
                for value in Self.outOfRange(spec) {
                    let values = [spec.name: value]
                    let expected = Outcome { try Catalog.make(id, values) }
                    guard case .error = expected else {
                        XCTFail("\(id): the catalog accepts \(spec.name)=\(value)")
                        continue
                    }
                    let typed = Outcome { try entry.configured(TypedArguments(descriptor, values)) }
                    if case .unrepresentable = typed { continue }   // a Swift type that cannot hold the value
                    XCTAssertEqual(typed, expected, "\(id) \(spec.name)=\(value): typed vs catalog error")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 0)
    }

    /// Hand-picked catalog values, each set given to the typed initialiser (through the table) and
    /// to `Catalog.make`: every argument of a loss moved off its default at once, so that two
    /// arguments wired to each other's parameter cannot hide behind equal defaults; and values
    /// the catalog rejects, a rule between two parameters among them (Tversky's α + β > 0).
    static var explicitValues: [(id: String, values: [String: ParameterValue])] {
        var out: [(id: String, values: [String: ParameterValue])] = [
            ("l1", ["reduction": "sum"]),
            ("l2", ["reduction": "none"]),
            ("smooth-l1", ["beta": 0.5, "reduction": "sum"]),
            ("huber", ["delta": 2, "reduction": "none"]),
            ("binary-cross-entropy", ["weight": [1, 2], "pos_weight": [3], "activation": "none", "reduction": "sum"]),
            ("cross-entropy", ["weight": [1, 2, 3], "ignore_index": 255, "label_smoothing": 0.1, "activation": "none",
                               "reduction": "none"]),
            ("nll", ["weight": [0.5, 1], "ignore_index": 0, "reduction": "sum"]),
            ("focal", ["gamma": 0.5, "alpha": [0.25], "activation": "sigmoid", "reduction": "sum"]),
            ("dice", ["include_background": false, "smooth_nr": 0, "smooth_dr": 1, "squared_pred": true,
                      "jaccard": true, "batch": true, "weight": [1, 2], "ignore_index": 3, "soft_label": true,
                      "activation": "sigmoid", "reduction": "none"]),
            ("tversky", ["include_background": false, "alpha": 0.3, "beta": 0.7, "smooth_nr": 0, "smooth_dr": 1,
                         "batch": true, "ignore_index": 2, "soft_label": true, "activation": "none", "reduction": "sum"]),
            ("dice-ce", ["include_background": false, "smooth_nr": 0, "smooth_dr": 1, "squared_pred": true,
                         "jaccard": true, "batch": true, "weight": [1, 2], "label_smoothing": 0.2, "lambda_dice": 0.5,
                         "lambda_ce": 2, "activation": "sigmoid", "reduction": "sum"]),
            ("box-iou", ["eps": 0, "reduction": "mean"]),
            ("giou", ["eps": 0.5, "reduction": "sum"]),
            ("diou", ["eps": 1e-3, "reduction": "mean"]),
            ("ciou", ["eps": 0.25, "reduction": "sum"]),
            // Rejected.
            ("ciou", ["eps": -1]),
            ("smooth-l1", ["beta": -1]),
            ("huber", ["delta": 0]),
            ("huber", ["delta": .number(.nan)]),
            ("binary-cross-entropy", ["activation": "softmax"]),
            ("binary-cross-entropy", ["pos_weight": [-1]]),
            ("cross-entropy", ["label_smoothing": 1.5]),
            ("cross-entropy", ["activation": "sigmoid"]),
            ("nll", ["weight": [-1]]),
            ("focal", ["gamma": -1]),
            ("focal", ["alpha": [2]]),      // init(_:)'s own check
            ("dice", ["smooth_dr": -1]),
            ("tversky", ["alpha": 0, "beta": 0]),
            ("generalized-dice", ["smooth_nr": .number(.infinity)]),
            ("dice-ce", ["reduction": "none"]),
            ("dice-ce", ["lambda_ce": -1]),
        ]
        for weightType in GeneralizedDiceLoss.WeightType.allCases {
            out.append(("generalized-dice", ["include_background": false, "w_type": .string(weightType.rawValue),
                                             "smooth_nr": 0, "smooth_dr": 1, "batch": true, "soft_label": true,
                                             "activation": "sigmoid", "reduction": "none"]))
        }
        return out
    }

    /// Each set of `explicitValues` builds, through the typed initialiser, the loss the catalog
    /// builds from it, or throws the very `LossError` the catalog throws.
    func testExplicitValuesBuildTheCatalogsLossOrThrowItsError() throws {
        for (id, values) in Self.explicitValues {
            let entry = try XCTUnwrap(Self.table[id], id)
            let arguments = TypedArguments(try Catalog.descriptor(for: id), values)
            let expected: any Loss
            do {
                expected = try Catalog.make(id, values)
            } catch {
                XCTAssertNotNil(error as? LossError, "\(id) \(values): the catalog's error is a LossError")
                XCTAssertEqual(Outcome { try entry.configured(arguments) }, Outcome(error), "\(id) \(values): typed vs catalog error")
                continue
            }
            let typed = try entry.configured(arguments)
            XCTAssertEqual(type(of: typed).descriptor.id, id)
            XCTAssertEqual(Self.configuration(typed), Self.configuration(expected), "\(id) \(values)")
        }
    }

    /// `init(validating:)`, on which the typed initialisers are written, is the catalog's path:
    /// same loss, and an unknown name throws the catalog's error with its suggestion.
    func testValidatingInitIsTheCatalogPath() throws {
        XCTAssertEqual(Self.configuration(try FocalLoss(validating: ["gamma": 1])),
                       Self.configuration(try Catalog.make("focal", ["gamma": 1])))
        XCTAssertThrowsError(try FocalLoss(validating: ["gama": 1])) { error in
            XCTAssertEqual(error as? LossError, .unknownParameter(loss: "focal", name: "gama", suggestion: "gamma"))
        }
    }

    /// README.md's example of typed initialisers, run: each builds the loss the catalog builds from
    /// the same values by their catalog names, and the README's block is this code.
    func testReadmeExample() throws {
        // readme-typed: begin
        let ce = try CrossEntropyLoss(weight: [1, 2, 1], ignoreIndex: 255, labelSmoothing: 0.1)
        let kl = try KLDivergenceLoss(reduction: .batchmean)
        let ctc = try CTCLoss(blank: 0, zeroInfinity: true, inputLengths: [50, 42], targetLengths: [12, 9])
        let decay = try L2Regularization(lambda: 5e-4)          // evaluate(weights, target: nil, gradient: true)
        // readme-typed: end
        let pairs: [(any Loss, String, [String: ParameterValue])] = [
            (ce, "cross-entropy", ["weight": [1, 2, 1], "ignore_index": 255, "label_smoothing": 0.1]),
            (kl, "kl-divergence", ["reduction": "batchmean"]),
            (ctc, "ctc", ["blank": 0, "zero_infinity": true, "input_lengths": [50, 42], "target_lengths": [12, 9]]),
            (decay, "l2-regularization", ["lambda": 5e-4]),
        ]
        for (typed, id, values) in pairs {
            XCTAssertEqual(Self.configuration(typed), Self.configuration(try Catalog.make(id, values)), id)
        }

        XCTAssertEqual(try ReadmeBlocks.swiftBlock(after: "typed-initialisers"), try ReadmeBlocks.code("readme-typed"),
                       "README.md's typed-initialiser example and this test differ")
    }

    // MARK: - Out-of-range values

    static func outOfRange(_ spec: ParameterSpec) -> [ParameterValue] {
        switch spec.kind {
        case let .number(min, max, minExclusive, maxExclusive):
            var out: [ParameterValue] = [.number(.nan), .number(.infinity)]
            if let min { out.append(.number(minExclusive ? min : min - 1)) }
            if let max { out.append(.number(maxExclusive ? max : max + 1)) }
            return out
        case let .integer(min, max):
            return [min.map { ParameterValue.number(Double($0 - 1)) }, max.map { ParameterValue.number(Double($0 + 1)) }]
                .compactMap { $0 }
        case let .numbers(min, max):
            var out: [ParameterValue] = [.numbers([.nan])]
            if let min { out.append(.numbers([min - 1])) }
            if let max { out.append(.numbers([max + 1])) }
            return out
        case let .choice(options):
            let swiftChoices: [String]
            switch spec.name {
            case "activation": swiftChoices = Activation.allCases.map(\.rawValue)
            case "reduction": swiftChoices = Reduction.allCases.map(\.rawValue)
            default: swiftChoices = []
            }
            return swiftChoices.filter { !options.contains($0) }.map { .string($0) }
        case .bool:
            return []
        }
    }

    // MARK: - Comparing two losses

    /// What evaluating a loss on one input gives: the exact bits of value and gradient, or the error.
    enum Outcome: Equatable, CustomStringConvertible {
        case output(valueShape: [Int], value: [UInt32], gradientShape: [Int]?, gradient: [UInt32]?)
        case error(LossError)
        case otherError(String)
        case unrepresentable(String)

        init(_ loss: any Loss, _ c: LossCase) {
            self.init { try loss.evaluate(c.input, target: c.target, gradient: true) }
        }

        init(_ body: () throws -> LossOutput) {
            do {
                let out = try body()
                self = .output(valueShape: out.value.shape, value: out.value.data.map(\.bitPattern),
                               gradientShape: out.gradient?.shape, gradient: out.gradient?.data.map(\.bitPattern))
            } catch {
                self.init(error)
            }
        }

        init(_ build: () throws -> any Loss) {
            do {
                _ = try build()
                self = .otherError("no error")
            } catch {
                self.init(error)
            }
        }

        init(_ error: Error) {
            switch error {
            case let error as LossError: self = .error(error)
            case let error as TypedArguments.Unrepresentable: self = .unrepresentable("\(error)")
            default: self = .otherError("\(error)")
            }
        }

        var description: String {
            switch self {
            case let .output(shape, value, _, gradient):
                return "value \(shape) \(value.map(Float.init(bitPattern:)))"
                    + (gradient.map { ", gradient \($0.prefix(6).map(Float.init(bitPattern:)))…" } ?? "")
            case let .error(error): return "LossError \(error)"
            case let .otherError(text): return "error \(text)"
            case let .unrepresentable(text): return "unrepresentable \(text)"
            }
        }
    }

    /// A loss's whole configured state, private stored properties included, written so that equal
    /// states give equal text (dictionaries, and `Parameters`, sorted by key).
    static func configuration(_ value: Any) -> String {
        if let parameters = value as? Parameters {
            return "Parameters(" + parameters.values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                .joined(separator: ", ") + ")"
        }
        let mirror = Mirror(reflecting: value)
        if mirror.children.isEmpty { return String(reflecting: value) }
        var parts = mirror.children.map { ($0.label.map { "\($0): " } ?? "") + configuration($0.value) }
        if mirror.displayStyle == .dictionary || mirror.displayStyle == .set { parts.sort() }
        return "\(type(of: value))(" + parts.joined(separator: ", ") + ")"
    }
}

/// Catalog values handed to a typed initialiser, each converted to the Swift type of its
/// argument: the value given for a catalog name, else the descriptor's default. Records the names
/// read, so a test sees that the typed initialiser has an argument for every parameter.
final class TypedArguments {
    /// A catalog value the Swift argument's type cannot hold (a choice missing from the enum…).
    struct Unrepresentable: Error, CustomStringConvertible {
        let name: String
        let value: ParameterValue
        var description: String { "\(name)=\(value)" }
    }

    let descriptor: LossDescriptor
    let values: [String: ParameterValue]
    private(set) var read: Set<String> = []

    init(_ descriptor: LossDescriptor, _ values: [String: ParameterValue]) {
        self.descriptor = descriptor
        self.values = values
    }

    private func value(_ name: String) throws -> ParameterValue {
        read.insert(name)
        if let value = values[name] { return value }
        guard let spec = descriptor.parameters.first(where: { $0.name == name }) else {
            throw Unrepresentable(name: name, value: .string("not a parameter of '\(descriptor.id)'"))
        }
        return spec.defaultValue
    }

    func number(_ name: String) throws -> Double {
        let v = try value(name)
        guard case let .number(x) = v else { throw Unrepresentable(name: name, value: v) }
        return x
    }

    func integer(_ name: String) throws -> Int {
        let v = try value(name)
        guard case let .number(x) = v, x == x.rounded(), abs(x) < 1e15 else { throw Unrepresentable(name: name, value: v) }
        return Int(x)
    }

    func bool(_ name: String) throws -> Bool {
        let v = try value(name)
        guard case let .bool(b) = v else { throw Unrepresentable(name: name, value: v) }
        return b
    }

    func numbers(_ name: String) throws -> [Double] {
        switch try value(name) {
        case let .numbers(xs): return xs
        case let .number(x): return [x]
        case let v: throw Unrepresentable(name: name, value: v)
        }
    }

    func integers(_ name: String) throws -> [Int] {
        let xs = try numbers(name)
        guard xs.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) else {
            throw Unrepresentable(name: name, value: .numbers(xs))
        }
        return xs.map { Int($0) }
    }

    func choice<Choice: RawRepresentable>(_ name: String) throws -> Choice where Choice.RawValue == String {
        let v = try value(name)
        guard case let .string(s) = v, let choice = Choice(rawValue: s) else { throw Unrepresentable(name: name, value: v) }
        return choice
    }
}
