import Foundation
import LossReference
import Losses
import XCTest

/// README.md's quick start, run. The code between the `quick-start` markers below is the README's
/// block under "Using `Losses` from Swift" (less its `import Losses`), character for character:
/// `testReadmeShowsThisCode` fails when either is edited alone.
///
/// Its numbers are checked three ways: against the catalog path (`Catalog.make`, bit for bit),
/// against the independent Float64 reference (`LossReference`, whose value rounds to the README's
/// `0.15499`, and central differences of it for the gradient), and, on the committed torchvision golden case
/// `focal-sigmoid-alpha0.25-mean` (`Fixtures/golden/torchvision.json`), against
/// `torchvision.ops.sigmoid_focal_loss(alpha=0.25, gamma=2, reduction="mean")` itself — the very
/// call the snippet's comment names, with the very initialiser the snippet uses.
final class QuickStartTests: XCTestCase {
    func testQuickStart() throws {
        // quick-start: begin
        // Two samples × three labels: logits, and 0/1 targets of the same shape.
        let logits = try Tensor(shape: [2, 3], data: [2.0, -1.0, 0.5, -0.3, 1.2, -2.5])
        let target = try Tensor(shape: [2, 3], data: [1, 0, 0, 0, 1, 1])

        // torchvision.ops.sigmoid_focal_loss(logits, target, alpha=0.25, gamma=2, reduction="mean")
        let focal = try FocalLoss(gamma: 2, alpha: [0.25], activation: .sigmoid, reduction: .mean)
        let output = try focal.evaluate(logits, target: target, gradient: true)
        let loss = output.value.scalar!      // 0.15499
        let gradient = output.gradient!      // ∂loss/∂logits, shape [2, 3]

        // The same loss by catalog id, with parameter values as the notes and `lossbook eval` write them.
        let same = try Catalog.make("focal", ["gamma": 2, "alpha": [0.25], "activation": "sigmoid"])
        // quick-start: end

        // Catalog path: the same kernel, so the same bits.
        let viaCatalog = try same.evaluate(logits, target: target, gradient: true)
        XCTAssertEqual(viaCatalog, output)

        // The independent Float64 reference (`LossReference`, the textbook formula
        // α_t (1 − p_t)^γ · BCE(σ(x), t) averaged over the 6 elements; the README's 0.15499 is this
        // value rounded), and central differences of it for the gradient.
        let input = try RefArray(shape: [2, 3], data: logits.data.map(Double.init))
        let targets = try RefArray(shape: [2, 3], data: target.data.map(Double.init))
        let parameters: [String: RefParameter] = ["gamma": .number(2), "alpha": .numbers([0.25]), "activation": .string("sigmoid"),
                                                  "reduction": .string("mean")]
        let reference = try ReferenceLosses.value(id: "focal", input: input, target: targets, parameters: parameters).data.reduce(0, +)
        XCTAssertEqual(Double(loss), reference, accuracy: 1e-6)
        XCTAssertEqual(String(format: "%.5f", reference), "0.15499", "the README's comment shows the reference's value")
        XCTAssertEqual(gradient.shape, [2, 3])
        let centralDifferences = try ReferenceLosses.finiteDifferenceGradient(id: "focal", input: input, target: targets,
                                                                              parameters: parameters).data
        for (g, expected) in zip(gradient.data, centralDifferences) {
            XCTAssertEqual(Double(g), expected, accuracy: 1e-6 + 1e-5 * abs(expected))
        }
    }

    /// The snippet's initialiser against torchvision's own numbers for the same call.
    func testQuickStartCallAgainstTorchvision() throws {
        let cases = try LossTestSupport.goldenCases(ids: ["focal"]).filter { $0.name == "focal-sigmoid-alpha0.25-mean" }
        let golden = try XCTUnwrap(cases.first, "torchvision's focal-sigmoid-alpha0.25-mean case is committed")
        XCTAssertNotNil(golden.grad, "the case has torchvision's gradient")
        try LossTestSupport.assertMatches(golden, try FocalLoss(gamma: 2, alpha: [0.25], activation: .sigmoid, reduction: .mean))
    }

    /// README.md's block equals the code between the markers above, so neither drifts.
    func testReadmeShowsThisCode() throws {
        let code = try ReadmeBlocks.code("quick-start")
        var block = try ReadmeBlocks.swiftBlock(after: "quick-start")
        XCTAssertEqual(block.prefix(2), ["import Losses", ""], "the README block starts with `import Losses` and a blank line")
        block.removeFirst(min(2, block.count))
        XCTAssertEqual(block, code, "README.md's quick start and QuickStartTests.testQuickStart differ")
    }
}
