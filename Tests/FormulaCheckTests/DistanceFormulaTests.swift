@testable import FormulaCheck
import Foundation
import LossFormulas
import Losses
import XCTest

/// The distance-map losses' formulas (`\operatorname{edt}`, masks, `\lnot`, sums over Ω) agree
/// with the library on grid probes, and a wrong one fails.
final class DistanceFormulaTests: XCTestCase {
    private static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content")

    private static let losses: Set<String> = ["boundary", "hausdorff-dt", "log-hausdorff-dt", "dpce"]

    func testDistanceFormulasAgree() throws {
        let bindings = CatalogBindings.all.filter { Self.losses.contains($0.loss) }
        XCTAssertEqual(bindings.count, 4)
        for binding in bindings {
            for outcome in try CatalogFormulas.check(binding) {
                XCTAssertNil(outcome.report.disagreement, "\(binding.loss) \(outcome.settings): \(outcome.report.disagreement.map { "\($0)" } ?? "")")
                XCTAssertGreaterThan(outcome.report.checked, 3)
            }
        }
    }

    private func spans(_ loss: String, language: String) throws -> [String] {
        let text = try String(contentsOf: Self.content.appendingPathComponent("\(language)/reference/\(loss).md"), encoding: .utf8)
        let section = try XCTUnwrap(text.components(separatedBy: "\n## gradient\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        return section.components(separatedBy: "$").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    func testDistanceGradientFormulasAgree() throws {
        for binding in CatalogBindings.gradients where Self.losses.contains(binding.value.loss) {
            for language in ["zh", "en"] {
                let all = try spans(binding.value.loss, language: language)
                for outcome in try CatalogFormulas.checkGradient(binding, formulas: binding.value.formulas.map { all[$0] }) {
                    XCTAssertNil(outcome.report.disagreement, "\(binding.value.loss) \(language) \(outcome.settings): \(outcome.report.disagreement.map { "\($0)" } ?? "")")
                }
            }
        }
    }

    private func assertGradientFails(_ loss: String, _ from: String, _ to: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let binding = try XCTUnwrap(CatalogBindings.gradients.first { $0.value.loss == loss }, file: file, line: line)
        let all = try spans(loss, language: "en")
        var formulas = binding.value.formulas.map { all[$0] }
        let k = try XCTUnwrap(formulas.firstIndex { $0.contains(from) }, "'\(from)' is not in \(loss)'s gradient", file: file, line: line)
        formulas[k] = formulas[k].replacingOccurrences(of: from, with: to)
        let outcomes = try CatalogFormulas.checkGradient(binding, formulas: formulas)
        XCTAssertTrue(outcomes.contains { !$0.report.passed }, "\(loss): '\(from)' → '\(to)' still passes", file: file, line: line)
    }

    func testWrongDistanceGradientsFail() throws {
        try assertGradientFails("boundary", #"\phi_i/|\Omega|"#, #"2\phi_i/|\Omega|"#)
        try assertGradientFails("boundary", #"\phi_i/|\Omega|"#, #"-\phi_i/|\Omega|"#)
        try assertGradientFails("hausdorff-dt", #"2(p_i - g_i)"#, #"(p_i - g_i)"#)
        try assertGradientFails("hausdorff-dt", #"d_{g,i}^{\alpha})"#, #"d_{g,i})"#)
        try assertGradientFails("hausdorff-dt", #"d_{p,i}^{\alpha} + "#, "")
    }

    // MARK: - The note boundary-losses.md

    private func noteBlocks(_ language: String) throws -> [String] {
        let text = try String(contentsOf: Self.content.appendingPathComponent("\(language)/boundary-losses.md"), encoding: .utf8)
        return try text.components(separatedBy: "\n```formula\n").dropFirst().map { try XCTUnwrap($0.components(separatedBy: "\n```").first) + "\n" }
    }

    func testBoundaryNoteFormulasAgree() throws {
        let blocks = try noteBlocks("en")
        XCTAssertGreaterThanOrEqual(blocks.count, 6)
        XCTAssertEqual(blocks, try noteBlocks("zh"))
        // The distance transform's definition and algorithm are `notation:` blocks: read, not checked.
        XCTAssertEqual(try blocks.filter { try NotationBlock.parse($0) != nil }.count, 5)
        for body in blocks {
            guard try NotationBlock.parse(body) == nil else { continue }
            let report = try NoteFormulaTests.check(body)
            XCTAssertNil(report.disagreement, "\(body.prefix(60)) — \(report.disagreement.map(String.init(describing:)) ?? "")")
            XCTAssertGreaterThan(report.checked, 0)
        }
    }

    private func assertNoteFails(_ start: String, _ from: String, _ to: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let body = try XCTUnwrap(try noteBlocks("en").first { $0.hasPrefix(start) }, "no block starts with '\(start)'", file: file, line: line)
        XCTAssertTrue(body.contains(from), "'\(from)' is not in '\(start)'", file: file, line: line)
        XCTAssertFalse(try NoteFormulaTests.check(body.replacingOccurrences(of: from, with: to)).passed, "'\(start)': '\(from)' → '\(to)' still passes",
                       file: file, line: line)
    }

    func testWrongBoundaryNoteFormulasFail() throws {
        // The paper's sum without the library's (and official code's) mean over the pixels.
        try assertNoteFails(#"L_B(\theta) = "#, #"\frac{1}{\lvert \Omega \rvert}\sum_{q \in \Omega}"#, #"\sum_{q \in \Omega}"#)
        try assertNoteFails(#"L_B(\theta) = "#, #"\left(\operatorname{EDT}(g) - 1\right)"#, #"\operatorname{EDT}(g)"#)
        try assertNoteFails(#"\frac{\partial L_B}"#, #"\frac{\phi_G(q)}{\lvert \Omega \rvert}"#, #"\phi_G(q)"#)
        try assertNoteFails(#"L_{HD\text{-}DT}(s, g) = "#, #"d_s(q)^{\alpha}\right)"#, #"d_s(q)^{1}\right)"#)
        try assertNoteFails(#"L_{HD\text{-}DT}(s, g) = "#, #"\operatorname{EDT}(m) + \operatorname{EDT}(\lnot m)"#, #"\operatorname{EDT}(m)"#)
        try assertNoteFails(#"\frac{\partial L_{HD\text{-}DT}}"#, #"\frac{2}{\lvert \Omega \rvert}"#, #"\frac{1}{\lvert \Omega \rvert}"#)
        try assertNoteFails(#"L_{\log HD} = "#, #"\log\left(1 + L"#, #"\log\left(2 + L"#)
        try assertNoteFails(#"\frac{\partial L_{\log HD}}"#, #"\frac{1}{1 + L_{HD\text{-}DT}}\,"#, "")
    }
}
