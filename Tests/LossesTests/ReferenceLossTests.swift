import Foundation
import LossReference
import Losses
import XCTest

/// Every catalog loss against the independent Double reference (`LossReference`): values for
/// every scenario, parameter variation and reduction, and analytic gradients against central
/// finite differences of the reference. Tolerances: see `Tolerance`.
final class ReferenceLossTests: XCTestCase {
    /// Outcome of one case: compared, or rejected by `Losses` (reported, and an error when the
    /// reference accepts the same input and it is a loss's first scenario).
    private func evaluate(_ c: LossCase, reduction: String?) throws -> (ours: LossOutput, reference: RefArray)? {
        var parameters = c.parameters
        if let reduction { parameters["reduction"] = .string(reduction) }
        let loss: any Loss
        let ours: LossOutput
        do {
            loss = try Catalog.make(c.id, parameters)
            ours = try loss.evaluate(c.input, target: c.target, gradient: true)
        } catch {
            // Rejected by Losses: fine only if the reference rejects it too.
            if (try? ReferenceLosses.value(id: c.id, input: RefArray(c.input), target: c.target.map(RefArray.init),
                                           parameters: referenceParameters(c.id, parameters))) != nil {
                rejected.append("\(c) reduction=\(reduction ?? "-"): Losses throws \(error), the reference accepts it")
            }
            return nil
        }
        let reference = try ReferenceLosses.value(id: c.id, input: RefArray(c.input), target: c.target.map(RefArray.init),
                                                  parameters: referenceParameters(c.id, parameters))
        return (ours, reference)
    }

    private var rejected: [String] = []

    /// Reports at most three failures per id (the rest as a count), so one wrong loss does not
    /// bury the others.
    private struct Failures {
        var byId: [String: [String]] = [:]
        mutating func add(_ id: String, _ message: String) { byId[id, default: []].append(message) }
        func report(file: StaticString = #filePath, line: UInt = #line) {
            for (id, messages) in byId.sorted(by: { $0.key < $1.key }) {
                for m in messages.prefix(3) { XCTFail(m, file: file, line: line) }
                if messages.count > 3 { XCTFail("\(id): \(messages.count - 3) more failures", file: file, line: line) }
            }
        }
    }

    func testEveryCatalogIdValueMatchesReference() throws {
        var failures = Failures()
        defer { failures.report() }
        var checked = 0
        for id in idsUnderTest {
            let cases = try ReferenceCases.cases(for: id)
            XCTAssertFalse(cases.isEmpty, "\(id): no input generator; add one in ReferenceCases")
            var idChecked = 0
            var variedCompared: Set<String> = []
            for c in cases {
                for reduction in try reductions(of: id).prefix(1) {
                    let result: (ours: LossOutput, reference: RefArray)?
                    do {
                        result = try evaluate(c, reduction: reduction)
                    } catch {
                        failures.add(id, "\(c) reduction=\(reduction): the reference throws \(error)")
                        continue
                    }
                    guard let (ours, reference) = result else { continue }
                    if ours.value.shape != reference.shape {
                        failures.add(id, "\(c) reduction=\(reduction): shape \(ours.value.shape), reference \(reference.shape)")
                    } else if let problem = Tolerance.valueMismatch(ours.value.data.map(Double.init), reference.data) {
                        failures.add(id, "\(c) reduction=\(reduction): value \(problem)")
                    }
                    idChecked += 1
                    if let v = c.varied { variedCompared.insert(v) }
                }
            }
            XCTAssertGreaterThan(idChecked, 0, "\(id): no case could be compared")
            // Every parameter the grid varies must reach a comparison at least once (a generated
            // value that Losses and the reference both reject tests nothing).
            let varied = Set(cases.compactMap(\.varied))
            for name in varied.subtracting(variedCompared).sorted() {
                failures.add(id, "\(id): no variation of '\(name)' could be compared; give ReferenceCases.alternatives a valid value")
            }
            checked += idChecked
        }
        for line in rejected { print("note: \(line)") }
        print("ReferenceLossTests: \(checked) value comparisons over \(idsUnderTest.count) ids")
    }

    func testEveryCatalogIdGradientMatchesFiniteDifferences() throws {
        var failures = Failures()
        defer { failures.report() }
        var checked = 0, skippedElements = 0, totalElements = 0
        for id in idsUnderTest {
            let reductions = try reductions(of: id)
            for c in try ReferenceCases.cases(for: id) where c.checkGradient {
                // The default reduction everywhere, and `none` (an upstream gradient of ones) on the
                // unvaried scenarios.
                var chosen: [String?] = [nil]
                if reductions.contains("none"), !c.scenario.contains("=") { chosen.append("none") }
                for reduction in chosen {
                    let result: (ours: LossOutput, reference: RefArray)?
                    do { result = try evaluate(c, reduction: reduction) } catch {
                        failures.add(id, "\(c): the reference throws \(error)")
                        continue
                    }
                    guard let (ours, _) = result else { continue }
                    guard let gradient = ours.gradient, gradient.shape == c.input.shape else {
                        failures.add(id, "\(c): no gradient of the input's shape")
                        continue
                    }
                    var parameters = c.parameters
                    if let reduction { parameters["reduction"] = .string(reduction) }
                    let (fd, kink) = try finiteDifferences(c.id, input: RefArray(c.input), target: c.target.map(RefArray.init),
                                                           parameters: referenceParameters(c.id, parameters))
                    let skipped = kink.filter { $0 }.count
                    skippedElements += skipped
                    totalElements += kink.count
                    if skipped > max(2, kink.count / 20) {
                        failures.add(id, "\(c): \(skipped) of \(kink.count) elements sit on a kink; the case needs other inputs")
                    }
                    if let problem = Tolerance.gradientMismatch(gradient.data.map(Double.init), fd, skip: kink) {
                        failures.add(id, "\(c) reduction=\(reduction ?? "default"): gradient \(problem)")
                    }
                    checked += 1
                }
            }
        }
        print("ReferenceLossTests: \(checked) gradient comparisons, \(skippedElements) of \(totalElements) elements skipped at kinks")
    }

    /// The comparisons above can fail: a flipped sign, a 1e-4 relative error in a value, or
    /// one wrong gradient element are caught by the same tolerance rules.
    func testComparisonsCatchErrors() throws {
        let c = try XCTUnwrap(try ReferenceCases.cases(for: "l2").first)
        let loss = try Catalog.make("l2", [:])
        let ours = try loss.evaluate(c.input, target: c.target, gradient: true)
        let reference = try ReferenceLosses.value(id: "l2", input: RefArray(c.input), target: c.target.map(RefArray.init),
                                                  parameters: referenceParameters("l2", [:]))
        let value = ours.value.data.map(Double.init)
        XCTAssertNil(Tolerance.valueMismatch(value, reference.data))
        XCTAssertNotNil(Tolerance.valueMismatch(value.map { -$0 }, reference.data))
        XCTAssertNotNil(Tolerance.valueMismatch(value.map { $0 * (1 + 1e-4) }, reference.data))
        let (fd, kink) = try finiteDifferences("l2", input: RefArray(c.input), target: c.target.map(RefArray.init),
                                               parameters: referenceParameters("l2", [:]))
        let gradient = try XCTUnwrap(ours.gradient).data.map(Double.init)
        XCTAssertNil(Tolerance.gradientMismatch(gradient, fd, skip: kink))
        XCTAssertNotNil(Tolerance.gradientMismatch(gradient.map { -$0 }, fd, skip: kink))
        var oneWrong = gradient
        oneWrong[3] *= 1.01
        XCTAssertNotNil(Tolerance.gradientMismatch(oneWrong, fd, skip: kink))
    }
}

/// Inputs large enough for `Losses` to split the work across cores (more than 2 × 65 536
/// elements, and positions beyond 2 × 65 536 / C): the `mean` values must still equal the
/// reference's (the other reductions share the same sums and are covered on small inputs). Distance-map losses are left out
/// (the reference's brute-force transform is O(n²)); their owners test the concurrent path
/// against the serial one.
final class ReferenceLargeInputTests: XCTestCase {
    func testLargeInputsMatchReference() throws {
        var rng = SeededGenerator(seed: 7)
        // Distance-map losses and the segmentation losses built from parts this test checks large
        // (generalized-dice, focal, dice) or from per-image serial work (soft skeletons, erosions,
        // the Wasserstein matrix) are covered by their small cases: large inputs are used sparingly.
        let skip: Set<String> = ["boundary", "hausdorff-dt", "dpce", "log-hausdorff-dt", "hausdorff-er", "cldice", "dice-cldice",
                                 "generalized-wasserstein-dice", "generalized-dice-focal"]
        for id in idsUnderTest where !skip.contains(id) {
            let descriptor = try Catalog.descriptor(for: id)
            guard let kind = ReferenceCases.kind(of: descriptor) else { continue }
            let input: Tensor, target: Tensor?
            switch kind {
            case .classScores:
                let shape = [2, 3, 150, 150]
                input = ReferenceCases.tensor(shape) { rng.normal(2) }
                let labels = ReferenceCases.tensor([2, 150, 150]) { Float(rng.integer(3)) }
                // masked-dice reads its mask as the target's last channel.
                target = id == "masked-dice" ? SegmentationExtrasCases.withMask(labels, input: input, &rng) : labels
            case .perceptual:
                input = ReferenceCases.tensor([2, 3, 150, 150]) { rng.normal(1) }
                target = ReferenceCases.tensor([2, 3, 150, 150]) { rng.normal(1) }
            case .regularizer:
                input = ReferenceCases.tensor([600, 300]) { rng.normal(1) }
                target = nil
            case .margin:
                input = ReferenceCases.tensor([600, 300]) { rng.normal(2) }
                target = ReferenceCases.tensor([600, 300]) { rng.integer(2) == 0 ? -1 : 1 }
            case .binaryCrossEntropy:
                input = ReferenceCases.tensor([600, 300]) { rng.normal(2) }
                target = ReferenceCases.tensor([600, 300]) { rng.uniform(0...1) }
            case .klDivergence:
                input = ReferenceCases.tensor([600, 300]) { -rng.uniform(0.01...8) }
                target = ReferenceCases.tensor([600, 300]) { rng.uniform(0...0.01) }
            case .regression:
                input = ReferenceCases.tensor([600, 300]) { rng.normal(2) }
                target = ReferenceCases.tensor([600, 300]) { rng.normal(2) }
            case .torchNN, .boxes:
                continue // serial kernels: the small cases cover them
            case .images:
                input = ReferenceCases.tensor([2, 1, 60, 60]) { rng.uniform(0...1) }
                target = ReferenceCases.tensor([2, 1, 60, 60]) { rng.uniform(0...1) }
            case .binaryProbabilities:
                input = ReferenceCases.tensor([2, 1, 150, 150]) { rng.uniform(0.02...0.98) }
                target = ReferenceCases.tensor([2, 1, 150, 150]) { Float(rng.integer(2)) }
            case .binaryLogits:
                input = ReferenceCases.tensor([2, 1, 150, 150]) { rng.normal(2) }
                target = ReferenceCases.tensor([2, 150, 150]) { Float(rng.integer(2)) }
            }
            for reduction in try reductions(of: id).prefix(1) {
                let parameters: [String: ParameterValue] = ["reduction": .string(reduction)]
                let ours = try Catalog.make(id, parameters).evaluate(input, target: target, gradient: false)
                let reference = try ReferenceLosses.value(id: id, input: RefArray(input), target: target.map(RefArray.init),
                                                          parameters: referenceParameters(id, parameters))
                XCTAssertEqual(ours.value.shape, reference.shape, "\(id) \(reduction): shape")
                if let m = Tolerance.valueMismatch(ours.value.data.map(Double.init), reference.data) {
                    XCTFail("\(id) \(reduction), large input: \(m)")
                }
            }
        }
    }
}
