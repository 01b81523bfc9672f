import XCTest
import LossReference
@testable import Losses

/// The weight penalties against the reference, their gradients, reductions and parameters.
final class RegularizationLossTests: XCTestCase {
    typealias S = LossTestSupport

    private func weights(seed: UInt64) -> Tensor {
        var g = S.Generator(seed: seed)
        // Away from 0, where |w| has its kink.
        return S.tensor([3, 4, 2], (0..<24).map { _ in
            var v = 0.0
            repeat { v = g.uniform(-2, 2) } while abs(v) < 0.05
            return v
        })
    }

    func testMatchReference() throws {
        let w = weights(seed: 1)
        for id in ["l1-regularization", "l2-regularization"] {
            try S.assertMatchesReference(id, [:], input: w, target: nil)
            try S.assertMatchesReference(id, ["lambda": .number(0.7)], input: w, target: nil)
        }
    }

    func testDefaultReductionIsSumAndTargetIgnored() throws {
        let w = weights(seed: 2)
        for id in ["l1-regularization", "l2-regularization"] {
            let byDefault = try Catalog.make(id).evaluate(w, target: nil, gradient: false)
            let sum = try Catalog.make(id, ["reduction": .string("sum")]).evaluate(w, target: w, gradient: false)
            XCTAssertEqual(byDefault.value, sum.value, id)
            try S.assertReductionsConsistent(id, [:], input: w, target: nil, denominator: Double(w.count))
        }
    }

    /// The gradient of l2-regularization is λw: PyTorch's weight_decay term.
    func testL2GradientIsWeightDecay() throws {
        let w = weights(seed: 3)
        let lambda = 0.3
        let out = try Catalog.make("l2-regularization", ["lambda": .number(lambda)]).evaluate(w, target: nil, gradient: true)
        S.assertClose(out.gradient!.data, w.data.map { lambda * Double($0) }, rtol: 1e-6, atol: 0, "λw")
        let l1 = try Catalog.make("l1-regularization", ["lambda": .number(lambda)])
            .evaluate(S.tensor([3], [-2, 0, 5]), target: nil, gradient: true)
        S.assertClose(l1.gradient!.data, [-lambda, 0, lambda], rtol: 1e-6, atol: 0, "λ sign(w), 0 at 0")
    }

    func testParameterErrors() {
        for id in ["l1-regularization", "l2-regularization"] {
            S.assertThrows(S.isInvalidParameter, "\(id) negative lambda") { _ = try Catalog.make(id, ["lambda": .number(-1)]) }
            S.assertThrows({ if case .unknownParameter = $0 { return true }; return false }, "\(id) weight_decay") {
                _ = try Catalog.make(id, ["weight_decay": .number(1)])
            }
        }
    }
}
