@testable import FormulaCheck
import Foundation
import LossFormulas
import XCTest

/// The notes' `formula` blocks (`content/<lang>/*.md`, not the reference pages), written in the
/// notes' own notation (Ma et al.'s `s_i^c`, `g_i^c`), checked against the library — values and
/// gradients — and a changed factor, sign or index must fail.
final class NoteFormulaTests: XCTestCase {
    private static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content")

    /// (file, body) of every ```` ```formula ```` block of the notes of `language`.
    private func blocks(_ language: String) throws -> [(file: String, body: String)] {
        let folder = Self.content.appendingPathComponent(language)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { $0.hasSuffix(".md") }.flatMap { file in
            try Self.blocks(in: language + "/" + file).map { (file, $0) }
        }
    }

    /// The bodies of the ```` ```formula ```` blocks of `content/<path>`.
    static func blocks(in path: String) throws -> [String] {
        let text = try String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)
        return try text.components(separatedBy: "\n```formula\n").dropFirst().map { piece in
            try XCTUnwrap(piece.components(separatedBy: "\n```").first) + "\n"
        }
    }

    /// The `formula` block of the note `file` that contains `marker`, the same in zh and en (asserted).
    static func bilingualBlock(in file: String, containing marker: String,
                               file testFile: StaticString = #filePath, line: UInt = #line) throws -> String {
        let zh = try XCTUnwrap(blocks(in: "zh/" + file).first { $0.contains(marker) }, file: testFile, line: line)
        let en = try XCTUnwrap(blocks(in: "en/" + file).first { $0.contains(marker) }, file: testFile, line: line)
        XCTAssertEqual(zh, en, "\(file): the zh and en blocks differ", file: testFile, line: line)
        return en
    }

    /// Parses a note's `formula` block body and checks it under each of its settings; the first
    /// disagreement, or the checks summed (shared with `DistanceFormulaTests`).
    static func check(_ body: String) throws -> FormulaChecker.Report {
        let block = try FormulaBlock.parse(body)
        var total = FormulaChecker.Report(checked: 0, disagreement: nil)
        for settings in block.binding.settings {
            let loss = try CatalogLoss(id: block.binding.loss, settings: settings)
            let report = try block.gradient.map { try GradientChecker.check(formula: [block.tex], binding: $0, loss: loss) }
                ?? FormulaChecker.check(formula: [block.tex], binding: block.binding, loss: loss)
            total.checked += report.checked
            if report.disagreement != nil { return report }
        }
        return total
    }

    func testEveryNoteFormulaAgreesInEveryLanguage() throws {
        for language in ["en", "zh"] {
            let all = try blocks(language)
            XCTAssertGreaterThanOrEqual(all.count, 19, language)
            XCTAssertGreaterThanOrEqual(all.filter { $0.body.contains("\ngradient:") }.count, 9, "gradient formulas (\(language))")
            for (file, body) in all {
                // `notation:` / `paper:` blocks define no loss; they are read, not checked.
                if try NotationBlock.parse(body) != nil { continue }
                let report = try Self.check(body)
                XCTAssertNil(report.disagreement, "\(language)/\(file): \(body.prefix(60)) — \(report.disagreement.map(String.init(describing:)) ?? "")")
                XCTAssertGreaterThan(report.checked, 0, "\(language)/\(file): \(body.prefix(60))")
            }
            // The two languages display the same formulas, bound the same way.
            if language == "zh" { XCTAssertEqual(all.map(\.body), try blocks("en").map(\.body)) }
        }
    }

    private func assertFails(_ start: String, _ from: String, _ to: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let body = try XCTUnwrap(try blocks("en").first { $0.body.hasPrefix(start) }?.body, "no note formula starts with '\(start)'",
                                 file: file, line: line)
        XCTAssertTrue(body.contains(from), "'\(from)' is not in '\(start)'", file: file, line: line)
        let report = try Self.check(body.replacingOccurrences(of: from, with: to))
        XCTAssertFalse(report.passed, "'\(start)': '\(from)' → '\(to)' still passes", file: file, line: line)
    }

    /// A factor, a sign, an index or a term changed, in the notes' notation: each must disagree.
    func testWrongNoteFormulasFail() throws {
        try assertFails(#"L_{CE} = "#, #"\log p_{t,i}"#, #"\log p_{t,i}^2"#)
        try assertFails(#"\frac{\partial L_{CE}}"#, #"\frac{1}{N}"#, #"\frac{2}{N}"#)
        try assertFails(#"L_{Focal} = "#, #"(1 - s_i^c)^{\gamma}"#, #"(1 - s_i^c)^{2\gamma}"#)
        try assertFails(#"L_{Dice} = 1 - \frac{2\sum_{i=1}^{N}"#, #"2\sum_{i=1}^{N} g_i^c s_i^c"#, #"2\sum_{i=1}^{N} g_i^c s_i^c s_i^c"#)
        try assertFails(#"L_{Dice^2} = "#, #"(s_i^c)^2"#, #"s_i^c"#)
        try assertFails(#"\frac{\partial L_{Dice}}"#, "(2I + s_{nr})", "(I + s_{nr})")
        try assertFails(#"\frac{\partial L_{Dice^2}}"#, "2 s_i", "s_i")
        try assertFails(#"L_{IoU} = "#, #"- g_i^c s_i^c"#, #"+ g_i^c s_i^c"#)
        try assertFails(#"\frac{\partial L_{IoU}}"#, "I\\,(1 - g_i)", "I\\,g_i")
        try assertFails(#"TI = "#, #"\alpha\, FP + \beta\, FN"#, #"\beta\, FP + \alpha\, FN"#)
        try assertFails(#"\frac{\partial L_{Tversky}}"#, "(1 - \\beta)", "(1 + \\beta)")
        try assertFails(#"\ell_{L1}(r_i)"#, #"\frac{1}{N}"#, #"\frac{2}{N}"#)
        // Each side of a chain that the compared name reads (`\ell_{L2}(r_i) = r_i^2 = (\hat{y}_i - y_i)^2`, summed in L_{L2}).
        try assertFails(#"\ell_{L2}(r_i)"#, "= r_i^2 =", "= r_i^3 =")
        try assertFails(#"\ell_{L2}(r_i)"#, #"= (\hat{y}_i - y_i)^2"#, #"= (\hat{y}_i + y_i)^2"#)
        try assertFails(#"\ell_{L1}(r_i)"#, #"= \lvert \hat{y}_i - y_i \rvert"#, #"= \lvert \hat{y}_i + y_i \rvert"#)
        try assertFails(#"\frac{\partial \ell_{L1}}"#, "-1, & r_i < 0", "1, & r_i < 0")
        // Lovász-Softmax's gradient at the ranks of π (`gradient: b, c, \pi_i`), carried to s by `chain:`.
        try assertFails(#"\frac{\partial \overline{\Delta_{J_c}}}"#, "= g_i(m)", "= 2 g_i(m)")
        try assertFails(#"\frac{\partial \overline{\Delta_{J_c}}}"#, #"-1, & c = y_i"#, #"1, & c = y_i"#)
        try assertFails(#"\frac{\partial \overline{\Delta_{J_c}}}"#, #"gradient: b, c, \pi_i"#, "gradient: b, c, i")
        try assertFails(#"\frac{\partial \ell_{L2}}"#, "2 r_i", "r_i")
        try assertFails(#"\frac{\partial \ell_{L2}}"#, #"2(\hat{y}_i - y_i)"#, #"2(y_i - \hat{y}_i)"#)
        try assertFails(#"\frac{\partial \ell_{\text{Huber}}}"#, #"\operatorname{clip}(r_i, -\delta, \delta)"#, #"\operatorname{clip}(r_i, -1, 1)"#)
        try assertFails(#"\ell_{\text{SmoothL1}}(r_i)"#, #"0.5\,\beta"#, #"\beta"#)
        try assertFails(#"\frac{\partial \ell_{\text{SmoothL1}}}"#, #"r_i / \beta"#, "r_i")
        try assertFails(#"\ell_{\text{Huber}}(r_i)"#, #"\dfrac{1}{2} r_i^2"#, "r_i^2")
        try assertFails(#"L_{WCE} = "#, #"-\frac{1}{Z}"#, #"-\frac{1}{N}"#)
        try assertFails(#"L_{WCE} = "#, #"Z = \sum_{i=1}^{N} w_{y_i}"#, #"Z = \sum_{i=1}^{N} w_{y_i}^2"#)
        try assertFails(#"\frac{\partial L_{WCE}}"#, #"\frac{w_{y_i}}{Z}"#, #"\frac{1}{Z}"#)
        try assertFails(#"\ell_{\text{hinge}}(y, f(x))"#, #"1 - y\,f(x)"#, #"1 + y\,f(x)"#)
        try assertFails(#"\ell_{\text{sq-hinge}}(y, f(x))"#, #"\right)^2"#, #"\right)^3"#)
        try assertFails(#"\frac{\partial \ell_{\text{sq-hinge}}}"#, #"-2y\,\max"#, #"-y\,\max"#)
        try assertFails(#"\ell_{\exp}(y, f(x))"#, #"\exp\left(-y\,f(x)\right)"#, #"\exp\left(y\,f(x)\right)"#)
        try assertFails(#"\frac{\partial \ell_{\exp}}"#, #"= -y\,\exp"#, #"= y\,\exp"#)
        try assertFails(#"\ell_{\text{soft}}(y, f(x))"#, #"\operatorname{softplus}\left(-y\,f(x)\right)"#, #"\operatorname{softplus}\left(y\,f(x)\right)"#)
        try assertFails(#"\frac{\partial \ell_{\text{soft}}}"#, #"-y\,\sigma(-m)"#, #"-y\,\sigma(m)"#)
        try assertFails(#"L_{DiceCE} = "#, #"\lambda_{ce}\, L_{CE}"#, #"\lambda_{dice}\, L_{CE}"#)
        try assertFails(#"L_{DiceCE} = "#, #"L_{CE}: = -\frac{1}{BN}"#, #"L_{CE}: = -\frac{1}{N}"#)
        try assertFails(#"L_{DiceFocal} = "#, #"(1 - p_t)^{\gamma}"#, #"(1 - p_t)^{2\gamma}"#)
        try assertFails(#"L_{DiceFocal} = "#, #"+ \lambda_{focal}\, L_{Focal}"#, #"- \lambda_{focal}\, L_{Focal}"#)
        try assertFails(#"\frac{\partial L_{DiceCE}}"#, #"\left(\delta_{cj} - s_i^j\right)"#, #"\left(s_i^j - \delta_{cj}\right)"#)
        try assertFails(#"\frac{\partial L_{DiceCE}}"#, #"\frac{s_i^j - g_i^j}{N}"#, #"\frac{s_i^j - g_i^j}{C}"#)
        try assertFails(#"\frac{\partial L_{DiceFocal}}"#, #"+ \lambda_{focal}"#, #"- \lambda_{focal}"#)
        try assertFails(#"\frac{\partial L_{DiceFocal}}"#, #"(1 - p_t)^{\gamma + 1}"#, #"(1 - p_t)^{\gamma}"#)
        try assertFails(#"L_{DiceTopK} = "#, #"+ \lambda_{topk}\, L_{TopK}"#, #"- \lambda_{topk}\, L_{TopK}"#)
        try assertFails(#"L_{DiceTopK} = "#, #"L_{TopK}: value of topk"#, #"L_{TopK}: value of cross-entropy"#)
        try assertFails(#"\frac{\partial L_{TopK}}"#, #"\dfrac{1}{\lvert K \rvert}"#, #"\dfrac{1}{N}"#)
        try assertFails(#"\frac{\partial L_{TopK}}"#, #"& i \in K \\[2mm] 0, & i \notin K"#, #"& i \notin K \\[2mm] 0, & i \in K"#)
        try assertFails(#"L_{SS} = "#, #"+ (1 - r)\,\frac"#, #"+ r\,\frac"#)
        try assertFails(#"L_{SS} = "#, #"(g_i^c - s_i^c)^2\, g_i^c"#, #"(g_i^c - s_i^c)\, g_i^c"#)
        try assertFails(#"\frac{\partial L_{SS}}"#, #"\dfrac{2r}{G}"#, #"\dfrac{r}{G}"#)
        try assertFails(#"\frac{\partial L_{SS}}"#, #"\dfrac{2(1 - r)}{B}\, s_i"#, #"-\dfrac{2(1 - r)}{B}\, s_i"#)
        try assertFails(#"L_{FT} = "#, #"\frac{1}{C}\sum_{c=1}^{C}"#, #"\sum_{c=1}^{C}"#)
        try assertFails(#"L_{FT} = "#, #"^{1/\gamma}"#, #"^{\gamma}"#)
        try assertFails(#"L_{FT} = "#, #"\alpha\, FP_c + \beta\, FN_c"#, #"\beta\, FP_c + \alpha\, FN_c"#)
        try assertFails(#"F_\beta = "#, #"\beta^2 \sum_i (1 - s_i)"#, #"\beta \sum_i (1 - s_i)"#)
        try assertFails(#"\ell_{\text{logcosh}}(r_i)"#, #"\log\left(\cosh"#, #"\log\left(2\cosh"#)
        try assertFails(#"\frac{\partial \ell_{\text{logcosh}}}"#, #"\tanh(r_i)"#, #"\tanh(2 r_i)"#)
        try assertFails(#"\frac{\partial \ell_{\text{logcosh}}}"#, #"\frac{\sinh r_i}{\cosh r_i}"#, #"\frac{\cosh r_i}{\sinh r_i}"#)
        try assertFails(#"\frac{\partial \ell_{\text{Huber}}}"#, #"\delta \operatorname{sign}(r_i)"#, #"\operatorname{sign}(r_i)"#)
        // Classification (0-1, multi-class hinge, CE in both notations, label smoothing, KL, BCE).
        try assertFails(#"\ell_{0\text{-}1}(y, f(x))"#, #"\mathbf{1}\{y\,f(x) \le 0\}"#, #"\mathbf{1}\{y\,f(x) < 0\}"#)
        try assertFails(#"\ell_{0\text{-}1}(y, f(x))"#, #"\mathbf{1}\{y \ne \hat{y}\}"#, #"\mathbf{1}\{y \le \hat{y}\}"#)
        try assertFails(#"\frac{\partial \ell_{0\text{-}1}}"#, #"= 0 \quad"#, #"= 1 \quad"#)
        try assertFails(#"\ell(z, y) = \frac{1}{C}"#, #"\frac{1}{C}"#, #"\frac{1}{C - 1}"#)
        try assertFails(#"\ell(z, y) = \frac{1}{C}"#, #"- z_y + z_c"#, #"+ z_y - z_c"#)
        try assertFails(#"\frac{\partial \ell_{\text{hinge}}}"#, #"-y, & y\,f(x) < 1"#, #"y, & y\,f(x) < 1"#)
        try assertFails(#"\frac{\partial \ell_{\text{hinge}}}"#, #"0, & y\,f(x) \ge 1"#, #"-y, & y\,f(x) \ge 1"#)
        // The soft-target notation is checked beside the class-index one, not replaced by it.
        try assertFails(#"\ell_{CE}(z, q) = "#, #"q_c \log p_c, \qquad"#, #"q_c \log p_c^2, \qquad"#)
        try assertFails(#"\ell_{CE}(z, q) = "#, #"-z_y + \log"#, #"z_y + \log"#)
        try assertFails(#"\ell(z, y) = (1 - \varepsilon)"#, #"\frac{\varepsilon}{C}"#, #"\varepsilon"#)
        try assertFails(#"\ell(z, y) = (1 - \varepsilon)"#, #"w_c \left(-\log p_c\right)"#, #"\left(-\log p_c\right)"#)
        try assertFails(#"\frac{\partial \ell_{CE}}{\partial z_j}"#, "p_j - q_j", "p_j + q_j")
        try assertFails(#"D_{KL}(q \Vert p) = "#, #"\log\frac{q_c}{p_c}"#, #"\log\frac{p_c}{q_c}"#)
        try assertFails(#"D_{KL}(q \Vert p) = "#, #"\log q_c - \log p_c"#, #"\log q_c + \log p_c"#)
        try assertFails(#"\frac{\partial D_{KL}}{\partial u_c}"#, "= -q_c", "= q_c")
        try assertFails(#"\ell_{BCE}(x, y) = "#, #"p_w\, y \log\sigma(x)"#, #"y \log\sigma(x)"#)
        try assertFails(#"\ell_{BCE}(x, y) = "#, #"-w\left["#, #"-\left["#)
        try assertFails(#"\frac{\partial \ell_{BCE}}{\partial x}"#, "(p_w - 1)", "(p_w + 1)")
        // Detection: I, U and C written out as the notation defines them; ε at 0.01 so its place shows.
        try assertFails(#"\mathcal{L}_{\text{IoU}} = "#, #"\frac{I}{U + \epsilon}"#, #"\frac{I}{U}"#)
        try assertFails(#"\mathcal{L}_{\text{GIoU}} = "#, #"\frac{C - U}{C + \epsilon}"#, #"\frac{C - U}{U + \epsilon}"#)
        try assertFails(#"\mathcal{L}_{\text{DIoU}} = "#, #"\frac{\rho^2}{c^2 + \epsilon}"#, #"\frac{\rho}{c + \epsilon}"#)
        try assertFails(#"\mathcal{L}_{\text{CIoU}} = "#, #"\frac{4}{\pi^2}"#, #"\frac{4}{\pi}"#)
        try assertFails(#"\mathcal{L}_{\text{CIoU}} = "#, #"1 - \mathrm{IoU} + v + \epsilon"#, #"1 - \mathrm{IoU} + v"#)
        try assertFails(#"\mathcal{L}_{\text{CIoU}} = "#, #"\arctan\frac{w^g}{h^g}"#, #"\arctan\frac{h^g}{w^g}"#)
        // Generalised Dice (the weights written out, an empty class's included) and penalty GD.
        try assertFails(#"L_{GD} = "#, #"\dfrac{1}{G_c^2}"#, #"\dfrac{1}{G_c}"#)
        try assertFails(#"L_{GD} = "#, #"\max_{k=1}^{C}"#, #"\min_{k=1}^{C}"#)
        try assertFails(#"L_{GD} = "#, #"2\sum_{c=1}^{C} w_c"#, #"2\sum_{c=1}^{C}"#)
        try assertFails(#"\frac{\partial L_{GD}}"#, #"-2 w_c\,"#, #"-2\,"#)
        try assertFails(#"\frac{\partial L_{GD}}"#, #"{R^2}"#, #"{R}"#)
        try assertFails(#"L_{pGD} = \frac{FP"#, #"2(1 + k)\,TP"#, #"2\,TP"#)
        try assertFails(#"L_{pGD} = \frac{FP"#, #"FP: = \sum_c w_c \sum_i (1 - g_i^c) s_i^c"#, #"FP: = \sum_c \sum_i (1 - g_i^c) s_i^c"#)
        try assertFails(#"L_{pGD} = \frac{L_{GD}}"#, #"1 + k\,(1 - L_{GD})"#, #"1 + k\, L_{GD}"#)
        // The chain rule's factors are names defined beside it (GradientChecker.derivativeNames).
        try assertFails(#"\frac{\partial L_{pGD}}{\partial s_i^c}"#, #"= \frac{1 + k}{"#, #"= \frac{1}{"#)
        try assertFails(#"\frac{\partial L_{pGD}}{\partial s_i^c}"#, #"\left(1 + k - k\, L_{GD}\right)^2"#, #"\left(1 + k - k\, L_{GD}\right)"#)
        try assertFails(#"\frac{\partial L_{pGD}}{\partial s_i^c}"#, #"= \frac{\partial L_{pGD}}{\partial L_{GD}}\,\frac"#, #"= \frac"#)
        try assertFails(#"L_{GDF} = "#, #"\lambda_{focal}\, L_{Focal}"#, #"\lambda_{gdl}\, L_{Focal}"#)
        try assertFails(#"L_{GDF} = "#, #"\lambda_{gdl}\, L_{GDL}"#, #"L_{GDL}"#)
        try assertFails(#"\frac{\partial L_{FT}}"#, #"^{1/\gamma - 1}"#, #"^{1/\gamma}"#)
        try assertFails(#"\frac{\partial L_{FT}}"#, #"-\frac{1}{C\gamma}"#, #"-\frac{1}{C}"#)
        try assertFails(#"L_{n,c} = 1 - \frac{2\sum_i m_i"#, #"\sum_i m_i\, g_i^c + s_{dr}"#, #"\sum_i g_i^c + s_{dr}"#)
        try assertFails(#"\mathrm{SmoothL1}_{\beta}(r)"#, #"0.5\,\beta, & \text{otherwise}"#, #"\beta, & \text{otherwise}"#)
        try assertFails(#"\mathrm{Huber}_{\delta}(r)"#, #"\delta\left(\lvert r \rvert"#, #"\left(\lvert r \rvert"#)
        try assertFails(#"\log\cosh r = "#, #"e^{-2\lvert r \rvert}"#, #"e^{-\lvert r \rvert}"#)
        try assertFails(#"\log\cosh r = "#, #"- \log 2"#, #"+ \log 2"#)
        try assertFails(#"L_{TopK} = "#, #"\frac{1}{\lvert K \rvert}"#, #"\frac{1}{N}"#)
        try assertFails(#"L_{TopK} = "#, #"\mathbb{1}[\ell_j > \ell_i]"#, #"\mathbb{1}[\ell_j < \ell_i]"#)
        try assertFails(#"L_{TopK} = "#, #"\lfloor N k / 100 \rfloor"#, #"\lfloor N k / 50 \rfloor"#)
        // DPCE: D's cases as the code takes them (a class filling its sample gives D = 0), and the gradient.
        try assertFails(#"L_{DPCE} = "#, #"\begin{cases} 0, & \sum_{j=1}^{N}"#, #"\begin{cases} 1, & \sum_{j=1}^{N}"#)
        try assertFails(#"L_{DPCE} = "#, #"{M_c - \mu_c}, & M_c > \mu_c"#, #"{2(M_c - \mu_c)}, & M_c > \mu_c"#)
        try assertFails(#"\frac{\partial L_{DPCE}}"#, #"\frac{1 + D_i^{y_i}}{N}"#, #"\frac{1 + 2D_i^{y_i}}{N}"#)
        try assertFails(#"\frac{\partial L_{DPCE}}"#, #"1, & \text{otherwise}"#, #"0, & \text{otherwise}"#)
        // The guide's examples (focal's α_t, Dice without smoothing).
        try assertFails(#"\mathrm{FL}(p_t) = "#, #"(1 - p_t)^{\gamma}"#, #"(1 - p_t)^{2\gamma}"#)
        try assertFails(#"\mathrm{FL}(p_t) = "#, #"= -\alpha_t (1"#, #"= -(1"#)
        try assertFails(#"L_{Dice} = 1 - \frac{2\sum_{i} g_i s_i}"#, #"2\sum_{i} g_i s_i"#, #"\sum_{i} g_i s_i"#)
        try assertFails(#"L_{Dice} = 1 - \frac{2\sum_{i} g_i s_i}"#, #"+ \sum_{i} s_i}"#, #"+ 2\sum_{i} s_i}"#)
        // TopK's threshold form: the superscript t is a label (FormulaSystem+SuperscriptLabels).
        try assertFails(#"L_{TopK}^{t} = "#, #"s_i^c < t"#, #"s_i^c < 2t"#)
        try assertFails(#"L_{TopK}^{t} = "#, #"\log s_i^c}"#, #"\log (s_i^c)^2}"#)
        // Exponential logarithmic loss: the whole, each term at the weights that isolate it, the Dice term's gradient.
        try assertFails(#"L_{Exp} = "#, #"w_{Cross}\, L_{Cross}"#, #"w_{Dice}\, L_{Cross}"#)
        try assertFails(#"L_{Exp} = "#, #"L_{Cross}: = \frac{1}{N}\sum_{i=1}^{N} w_{y_i}"#, #"L_{Cross}: = \frac{1}{N}\sum_{i=1}^{N}"#)
        try assertFails(#"L_{Dice} = \frac{1}{C}"#, #"\right)^{\gamma_{Dice}}"#, #"\right)^{2\gamma_{Dice}}"#)
        try assertFails(#"L_{Dice} = \frac{1}{C}"#, #"= \frac{2\sum_{i=1}^{N} g_i^c s_i^c"#, #"= \frac{\sum_{i=1}^{N} g_i^c s_i^c"#)
        try assertFails(#"L_{Cross} = "#, #"w_{y_i}\left("#, #"\left("#)
        try assertFails(#"L_{Cross} = "#, #"^{\gamma_{Cross}}"#, #"^{2\gamma_{Cross}}"#)
        try assertFails(#"\frac{\partial}{\partial s_i}\left(-\ln \mathrm{Dice}\right)"#, #"{\mathrm{Dice}}\cdot"#, #"{\mathrm{Dice}^2}\cdot"#)
        try assertFails(#"\frac{\partial}{\partial s_i}\left(-\ln \mathrm{Dice}\right)"#, #"(2I + \epsilon)}{U^2}"#, #"(I + \epsilon)}{U^2}"#)
        // Generalised Wasserstein Dice with the 0/1 distance (M and α as where: definitions).
        try assertFails(#"W_i = \sum_c M_{y_i, c}"#, #"+ \sum_i W_i + s_{dr}}"#, #"+ s_{dr}}"#)
        try assertFails(#"W_i = \sum_c M_{y_i, c}"#, #"M_{i,c}: = 1 - \mathbb{1}[i = c]"#, #"M_{i,c}: = \mathbb{1}[i = c]"#)
        // Combo: the library's 1 − Dice form, and its gradient where 0 < p_i < 1 (holds:).
        try assertFails(#"L_{Combo} = "#, #"(1 - \beta)(1 - t_i)"#, #"\beta(1 - t_i)"#)
        try assertFails(#"L_{Combo} = "#, #"\frac{2\sum_{i} p_i t_i + S}"#, #"\frac{\sum_{i} p_i t_i + S}"#)
        try assertFails(#"\frac{\partial L_{Combo}}"#, #"\frac{\beta\, t_i}{p_i}"#, #"\frac{t_i}{p_i}"#)
        try assertFails(#"\frac{\partial L_{Combo}}"#, #"(2I + S)"#, #"(I + S)"#)
    }

    /// A `where:` key `f(x)` names the value written `f(x)`: rewritten `f_x ` everywhere, same length.
    func testFunctionApplicationKeysBindAsNames() throws {
        let binding = FormulaBinding(loss: "hinge", formulas: [0], evaluate: nil,
                                     symbols: [(symbol: "f(x)", source: "input"), (symbol: "m", source: "= y\\,f(x)")],
                                     reduction: .none, settings: [[:]])
        let formula = #"\ell(y, f(x)) = \max(0, 1 - m)"#
        let (rewritten, bound) = FormulaChecker.applicationNames([formula], binding)
        XCTAssertEqual(rewritten, [#"\ell(y, f_x ) = \max(0, 1 - m)"#])
        XCTAssertEqual(rewritten[0].count, formula.count, "offsets still point into the formula")
        XCTAssertEqual(bound.symbols.map(\.symbol), ["f_x", "m"])
        XCTAssertEqual(bound.symbols.map(\.source), ["input", "= y\\,f_x "])
        let plain = FormulaChecker.applicationNames([formula], FormulaBinding(loss: "hinge", formulas: [0], evaluate: nil,
            symbols: [(symbol: "f_i", source: "input")], reduction: .none, settings: [[:]]))
        XCTAssertEqual(plain.0, [formula], "without an f(x) key nothing is rewritten")
    }

    /// `s_i^c` is s_{i,c} for a symbol bound with an index superscript; a number stays a power.
    func testIndexSuperscriptsAndPowers() throws {
        let lexer = TeXLexer(indexSuperscripts: ["s"])
        var plain = TeXParser(try lexer.tokens("s_{i,c}"))
        var merged = TeXParser(try lexer.tokens("s_i^c"))
        XCTAssertEqual(try merged.parseSymbol().fullName, try plain.parseSymbol().fullName)
        var power = TeXParser(try lexer.tokens("s_i^2"))
        XCTAssertEqual(try power.parseSymbol().fullName, "s_{i}")
        XCTAssertFalse(power.remaining.isEmpty, "^2 is left for the power")
        var other = TeXParser(try TeXLexer(indexSuperscripts: ["s"]).tokens("g_i^c"))
        XCTAssertEqual(try other.parseSymbol().fullName, "g_{i}", "g was not bound with an index superscript")
    }
}
