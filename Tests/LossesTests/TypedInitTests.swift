import XCTest
@testable import Losses

/// The typed initialisers (`Sources/Losses/API/*+Init.swift`) against the catalog's string
/// interface: with no arguments each builds the loss `Catalog.make(id)` builds (so its Swift
/// defaults are the descriptor's), with arguments the loss the same catalog values build, and an
/// out-of-range value throws the very `LossError` the catalog throws.
final class TypedInitTests: XCTestCase {
    /// A loss's whole configured state, private stored properties included.
    private func state(_ loss: any Loss) -> String {
        var text = ""
        dump(loss, to: &text)
        return text
    }

    private func assertSame(_ typed: any Loss, _ id: String, _ values: [String: ParameterValue] = [:],
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let catalog = try Catalog.make(id, values)
        XCTAssertEqual(type(of: typed).descriptor.id, id, file: file, line: line)
        if let a = typed as? DiceCELoss, let b = catalog as? DiceCELoss {
            // Keeps its Parameters (a dictionary, whose dump order is not fixed).
            XCTAssertEqual(a.parameters, b.parameters, "\(id) \(values)", file: file, line: line)
        } else {
            XCTAssertEqual(state(typed), state(catalog), "\(id) \(values)", file: file, line: line)
        }
    }

    private func assertSameError(_ typed: () throws -> any Loss, _ id: String, _ values: [String: ParameterValue],
                                 file: StaticString = #filePath, line: UInt = #line) {
        var expected: LossError?
        XCTAssertThrowsError(try Catalog.make(id, values), file: file, line: line) { expected = $0 as? LossError }
        XCTAssertNotNil(expected, "\(id): catalog error is a LossError", file: file, line: line)
        XCTAssertThrowsError(try typed(), file: file, line: line) { error in
            XCTAssertEqual(error as? LossError, expected, "\(id) \(values)", file: file, line: line)
        }
    }

    func testDefaultsAreTheDescriptorDefaults() throws {
        try assertSame(L1Loss(), "l1")
        try assertSame(L2Loss(), "l2")
        try assertSame(MSELoss(), "l2")
        try assertSame(SmoothL1Loss(), "smooth-l1")
        try assertSame(HuberLoss(), "huber")
        try assertSame(BinaryCrossEntropyLoss(), "binary-cross-entropy")
        try assertSame(CrossEntropyLoss(), "cross-entropy")
        try assertSame(NLLLoss(), "nll")
        try assertSame(FocalLoss(), "focal")
        try assertSame(DiceLoss(), "dice")
        try assertSame(TverskyLoss(), "tversky")
        try assertSame(GeneralizedDiceLoss(), "generalized-dice")
        try assertSame(DiceCELoss(), "dice-ce")
        try assertSame(BoxIoULoss(), "box-iou")
        try assertSame(GIoULoss(), "giou")
        try assertSame(DIoULoss(), "diou")
        try assertSame(CIoULoss(), "ciou")
    }

    func testEveryArgumentReachesItsCatalogParameter() throws {
        try assertSame(L1Loss(reduction: .sum), "l1", ["reduction": "sum"])
        try assertSame(L2Loss(reduction: .none), "l2", ["reduction": "none"])
        try assertSame(SmoothL1Loss(beta: 0.5, reduction: .sum), "smooth-l1", ["beta": 0.5, "reduction": "sum"])
        try assertSame(HuberLoss(delta: 2, reduction: .none), "huber", ["delta": 2, "reduction": "none"])
        try assertSame(BinaryCrossEntropyLoss(weight: [1, 2], posWeight: [3], activation: .none, reduction: .sum),
                       "binary-cross-entropy",
                       ["weight": [1, 2], "pos_weight": [3], "activation": "none", "reduction": "sum"])
        try assertSame(CrossEntropyLoss(weight: [1, 2, 3], ignoreIndex: 255, labelSmoothing: 0.1, activation: .none,
                                        reduction: .none),
                       "cross-entropy",
                       ["weight": [1, 2, 3], "ignore_index": 255, "label_smoothing": 0.1, "activation": "none",
                        "reduction": "none"])
        try assertSame(NLLLoss(weight: [0.5, 1], ignoreIndex: 0, reduction: .sum), "nll",
                       ["weight": [0.5, 1], "ignore_index": 0, "reduction": "sum"])
        try assertSame(FocalLoss(gamma: 0.5, alpha: [0.25], activation: .sigmoid, reduction: .sum), "focal",
                       ["gamma": 0.5, "alpha": [0.25], "activation": "sigmoid", "reduction": "sum"])
        try assertSame(DiceLoss(includeBackground: false, smoothNr: 0, smoothDr: 1, squaredPred: true, jaccard: true,
                                batch: true, weight: [1, 2], ignoreIndex: 3, softLabel: true, activation: .sigmoid,
                                reduction: .none),
                       "dice",
                       ["include_background": false, "smooth_nr": 0, "smooth_dr": 1, "squared_pred": true,
                        "jaccard": true, "batch": true, "weight": [1, 2], "ignore_index": 3, "soft_label": true,
                        "activation": "sigmoid", "reduction": "none"])
        try assertSame(TverskyLoss(includeBackground: false, alpha: 0.3, beta: 0.7, smoothNr: 0, smoothDr: 1, batch: true,
                                   ignoreIndex: 2, softLabel: true, activation: .none, reduction: .sum),
                       "tversky",
                       ["include_background": false, "alpha": 0.3, "beta": 0.7, "smooth_nr": 0, "smooth_dr": 1,
                        "batch": true, "ignore_index": 2, "soft_label": true, "activation": "none", "reduction": "sum"])
        for weightType in GeneralizedDiceLoss.WeightType.allCases {
            try assertSame(GeneralizedDiceLoss(includeBackground: false, weightType: weightType, smoothNr: 0, smoothDr: 1,
                                               batch: true, softLabel: true, activation: .sigmoid, reduction: .none),
                           "generalized-dice",
                           ["include_background": false, "w_type": .string(weightType.rawValue), "smooth_nr": 0,
                            "smooth_dr": 1, "batch": true, "soft_label": true, "activation": "sigmoid", "reduction": "none"])
        }
        try assertSame(DiceCELoss(includeBackground: false, smoothNr: 0, smoothDr: 1, squaredPred: true, jaccard: true,
                                  batch: true, weight: [1, 2], labelSmoothing: 0.2, lambdaDice: 0.5, lambdaCE: 2,
                                  activation: .sigmoid, reduction: .sum),
                       "dice-ce",
                       ["include_background": false, "smooth_nr": 0, "smooth_dr": 1, "squared_pred": true,
                        "jaccard": true, "batch": true, "weight": [1, 2], "label_smoothing": 0.2, "lambda_dice": 0.5,
                        "lambda_ce": 2, "activation": "sigmoid", "reduction": "sum"])
    }

    func testBoxLossArgumentsReachTheirCatalogParameters() throws {
        try assertSame(BoxIoULoss(eps: 0, reduction: .mean), "box-iou", ["eps": 0, "reduction": "mean"])
        try assertSame(GIoULoss(eps: 0.5, reduction: .sum), "giou", ["eps": 0.5, "reduction": "sum"])
        try assertSame(DIoULoss(eps: 1e-3, reduction: .mean), "diou", ["eps": 1e-3, "reduction": "mean"])
        try assertSame(CIoULoss(eps: 0.25, reduction: .sum), "ciou", ["eps": 0.25, "reduction": "sum"])
        assertSameError({ try CIoULoss(eps: -1) }, "ciou", ["eps": -1])
    }

    func testOutOfRangeValuesThrowTheCatalogsError() {
        assertSameError({ try SmoothL1Loss(beta: -1) }, "smooth-l1", ["beta": -1])
        assertSameError({ try HuberLoss(delta: 0) }, "huber", ["delta": 0])
        assertSameError({ try HuberLoss(delta: .nan) }, "huber", ["delta": .number(.nan)])
        assertSameError({ try BinaryCrossEntropyLoss(activation: .softmax) }, "binary-cross-entropy", ["activation": "softmax"])
        assertSameError({ try BinaryCrossEntropyLoss(posWeight: [-1]) }, "binary-cross-entropy", ["pos_weight": [-1]])
        assertSameError({ try CrossEntropyLoss(labelSmoothing: 1.5) }, "cross-entropy", ["label_smoothing": 1.5])
        assertSameError({ try CrossEntropyLoss(activation: .sigmoid) }, "cross-entropy", ["activation": "sigmoid"])
        assertSameError({ try NLLLoss(weight: [-1]) }, "nll", ["weight": [-1]])
        assertSameError({ try FocalLoss(gamma: -1) }, "focal", ["gamma": -1])
        assertSameError({ try FocalLoss(alpha: [2]) }, "focal", ["alpha": [2]])      // init(_:)'s own check
        assertSameError({ try DiceLoss(smoothDr: -1) }, "dice", ["smooth_dr": -1])
        assertSameError({ try TverskyLoss(alpha: 0, beta: 0) }, "tversky", ["alpha": 0, "beta": 0])
        assertSameError({ try GeneralizedDiceLoss(smoothNr: .infinity) }, "generalized-dice", ["smooth_nr": .number(.infinity)])
        assertSameError({ try DiceCELoss(reduction: .none) }, "dice-ce", ["reduction": "none"])
        assertSameError({ try DiceCELoss(lambdaCE: -1) }, "dice-ce", ["lambda_ce": -1])
    }

    func testValidatingInitIsTheCatalogPath() throws {
        try assertSame(FocalLoss(validating: ["gamma": 1]), "focal", ["gamma": 1])
        XCTAssertThrowsError(try FocalLoss(validating: ["gama": 1])) { error in
            XCTAssertEqual(error as? LossError, .unknownParameter(loss: "focal", name: "gama", suggestion: "gamma"))
        }
    }
}
