@testable import FormulaCheck
import XCTest

/// Chain-rule factors in a gradient formula read as names (`GradientChecker.derivativeNames`):
/// only a derivative both used and defined is rewritten, to a name of the same length.
final class DerivativeNameTests: XCTestCase {
    private let gradient = #"\frac{\partial L}{\partial s_i^c} = \frac{\partial L}{\partial D}\,\frac{\partial D}{\partial s_i^c}, \qquad \frac{\partial L}{\partial D} = 2D"#

    private func binding(_ symbols: [(symbol: String, source: String)]) -> GradientBinding {
        GradientBinding(FormulaBinding(loss: "x", formulas: [0], evaluate: nil, symbols: symbols, reduction: .none, settings: [[:]]),
                        elements: "n, c, i")
    }

    func testFactorsDefinedAndUsedBecomeNames() throws {
        let bound = binding([(#"s_i^c"#, "probability"), (#"\frac{\partial D}{\partial s_i^c}"#, "= 2 s_i^c")])
        let (rewritten, out) = GradientChecker.derivativeNames([gradient], bound)
        XCTAssertEqual(rewritten[0].count, gradient.count, "offsets still point into the formula")
        XCTAssertTrue(rewritten[0].hasPrefix(#"\frac{\partial L}{\partial s_i^c} = \mathscr{"#), "the gradient's own left side stays: \(rewritten[0])")
        XCTAssertFalse(rewritten[0].dropFirst(20).contains(#"\partial"#), rewritten[0])
        // ∂L/∂D has no element index in its denominator; ∂D/∂s_i^c carries i and c.
        XCTAssertTrue(rewritten[0].contains(#"\mathscr{A} "#), rewritten[0])
        XCTAssertEqual(out.value.symbols.map(\.symbol), [#"s_i^c"#, #"\mathscr{B}_{i,c}"#])
        XCTAssertEqual(try GradientChecker.renamed(rewritten, elements: out.elements).first?.hasPrefix(#"\Xi_{n,c,i}"#), true)
    }

    /// `\partial u/\partial v` written inline (SSIM's prose): v a name with its subscripts or a
    /// parenthesised expression; a span that defines it and a `where:` source that uses it.
    func testSlashDerivativesDefinedAndUsedBecomeNames() throws {
        let spans = [#"\partial \mathcal{L}/\partial x_j = w^\top g_\mu + g_{xx}"#, #"\partial(ls)/\partial\mu_x = s/B"#,
                     #"\partial(ls)/\partial(w \star x^2) = -ls/D"#]
        XCTAssertEqual(GradientChecker.derivatives(in: spans[2]).map(\.0), [#"\partial(ls)/\partial(w \star x^2)"#])
        XCTAssertEqual(GradientChecker.derivatives(in: #"A\,\partial B/\partial W_i / B^2"#).map(\.0), [#"\partial B/\partial W_i"#])
        let bound = binding([(#"g_\mu"#, #"= \partial(ls)/\partial\mu_x"#), ("g_{xx}", #"= \partial(ls)/\partial(w \star x^2)"#)])
        let (rewritten, out) = GradientChecker.derivativeNames(spans, bound)
        XCTAssertEqual(rewritten.map(\.count), spans.map(\.count), "offsets still point into the formulas")
        XCTAssertEqual(rewritten[0], spans[0], "the gradient's own left side stays")
        XCTAssertTrue(rewritten[1].hasPrefix(#"\mathscr{A} "#) && rewritten[2].hasPrefix(#"\mathscr{B} "#), "\(rewritten)")
        XCTAssertEqual(out.value.symbols.map { $0.source.trimmingCharacters(in: .whitespaces) }, [#"= \mathscr{A}"#, #"= \mathscr{B}"#])
    }

    func testARemarkOrAnUndefinedFactorStays() {
        let remark = #"\frac{\partial \ell}{\partial x} = \tanh x, \qquad \frac{\partial^2 \ell}{\partial x^2} = 1 - \tanh^2 x"#
        XCTAssertEqual(GradientChecker.derivativeNames([remark], binding([("x", "input")])).0, [remark])
        // ∂D/∂s is used but defined nowhere: left as written (the formula then fails to parse, as before).
        let undefined = #"\frac{\partial L}{\partial s_i} = 2\,\frac{\partial D}{\partial s_i}"#
        XCTAssertEqual(GradientChecker.derivativeNames([undefined], binding([("s_i", "probability")])).0, [undefined])
    }
}
