import Foundation
import Losses
import Yams

/// A number `lossbook build --fix` writes back into a note's `expected:` rows.
public struct FixEdit: Sendable, Equatable, Codable {
    public var path: String
    public var line: Int
    public var column: Int
    /// The text that stands there now, and what replaces it.
    public var old: String
    public var new: String
}

/// What expanding one executable block gives.
struct Expansion: Sendable {
    /// What the block computed, rendered in place of the block.
    var output: BlockOutput
    /// Loss ids the block uses (for the reference pages' "mentioned in").
    var mentions: Set<String>
    /// Expected numbers that differ from the computed ones (only with `fix`).
    var fixes: [FixEdit]
}

/// Runs executable blocks (`loss-table`, `loss-grad`, `loss-plot`, `loss-formula`, `loss-code`,
/// `distance-map`, `formula`, `loss-properties`): every number they give is computed by `Losses` and verified against
/// `LossReference`. One file per directive under `Directives/`.
struct DirectiveExpander: Sendable {
    let language: String
    let strings: [String: String]
    /// Loss names in this language (`CatalogProse.names`), by id; a loss without one is shown by its id.
    let names: LossNames
    let sources: LossSources
    /// Collect differing `expected:` numbers as edits instead of failing.
    let fix: Bool
    /// Cited data and Graphviz, for `cited-table`, `cited-plot` and `loss-family`.
    var context = DirectiveContext()
    /// Bounds on what one block may ask for (`limits:` in `lossbook.yaml`).
    var limits = Limits()
    /// The site's KaTeX macros (`math: macros:`), which checked formulas may use.
    var macros: [String: String] = [:]

    func expand(_ block: CodeBlockInfo, path: String) throws -> Expansion {
        guard let kind = DirectiveKind.of(block.info) else { throw Diagnostic(path, stage: .execute, "not a directive") }
        let spec = try DirectiveSpec(kind: kind, info: block.info, body: block.code, path: path,
                                     fenceLine: block.line, fenceColumn: block.column, columnShifts: block.columnShifts, limits: limits)
        switch kind {
        case .table, .grad: return try table(spec, gradient: kind == .grad)
        case .plot: return try plot(spec)
        case .formula: return try formula(spec)
        case .code: return try code(spec)
        case .distanceMap: return try distanceMap(spec)
        case .citedTable: return try citedTable(spec)
        case .citedPlot: return try citedPlot(spec)
        case .family: return try family(spec)
        case .checkedFormula: return try checkedFormula(spec)
        case .properties: return try properties(spec)
        }
    }

    /// The fields of a code block a directive needs (keeps this type free of cmark).
    struct CodeBlockInfo: Sendable {
        var info: String
        var code: String
        var line: Int
        var column: Int
        /// Columns each line of `code` has before it in the file (``MarkdownDocument/columnShifts(of:)``):
        /// a block in a list item or block quote is given de-indented.
        var columnShifts: [Int] = []
    }

    // MARK: - Evaluation

    /// One evaluation of a table cell or plot point.
    struct Evaluation {
        var id: String
        var parameters: [String: ParameterValue]
        var point: ProbePoint
        /// The variable and its value, for directional gradients (nil for fixed inputs).
        var variable: (ProbeVariable, Double, Mask?)?
        /// Where the block writes what this evaluation feeds the loss (its errors point there).
        var origin = DirectiveSpec.Origin()
    }

    /// Computes a value (or dL/dv) and verifies it; errors about what the loss is fed point where
    /// the block writes it (`evaluation.origin`), the others at the block.
    /// - Parameter centralDifferences: check a gradient against central differences of the reference
    ///   (false only where the gradient itself jumps within their step, as the points a plot adds to
    ///   locate a jump; the value is still checked against the reference).
    func evaluate(_ evaluation: Evaluation, gradient: Bool, spec: DirectiveSpec, tolerance: LossRunner.Tolerance,
                  centralDifferences: Bool = true) throws -> Double {
        var parameters = evaluation.parameters
        for (key, value) in evaluation.point.parameters { parameters[key] = value }
        let runner: LossRunner
        do {
            runner = try LossRunner(id: evaluation.id, parameters: parameters)
        } catch let error as LossError {
            throw spec.error(error.description, at: spec.node(for: error, from: evaluation.origin))
        }
        do {
            if fix {
                // `--fix` brings the notes' expected numbers in line with the library; the build that
                // follows verifies the library against its reference as always.
                let output = try runner.loss.evaluate(evaluation.point.input, target: evaluation.point.target, gradient: gradient)
                guard gradient else { return output.value.data.reduce(0.0) { $0 + Double($1) } }
                let g = output.gradient?.data ?? []
                return zip(g, evaluation.point.derivative).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            }
            let result = try runner.run(input: evaluation.point.input, target: evaluation.point.target,
                                        gradient: gradient && evaluation.variable == nil, valueTolerance: tolerance)
            guard gradient else { return result.value }
            guard let (variable, v, mask) = evaluation.variable else {
                throw spec.error("a gradient table needs a varied input ('vary' or 'losses' with 'vary')")
            }
            // dL/dv by the chain rule from the library's analytic gradient…
            let output = try runner.loss.evaluate(evaluation.point.input, target: evaluation.point.target, gradient: true)
            guard let g = output.gradient?.data else { throw spec.error("'\(evaluation.id)' returned no gradient") }
            let analytic = zip(g, evaluation.point.derivative).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            guard centralDifferences else { return analytic }
            // …checked against central differences of the Float64 reference along v.
            let h = 1e-6 * max(1, abs(v))
            func reference(_ x: Double) throws -> Double {
                let point = try variable.point(id: evaluation.id, value: x, mask: mask)
                return try runner.referenceValue(input: point.input, exactInput: point.exactInput, target: point.target)
            }
            let numeric = (try reference(v + h) - reference(v - h)) / (2 * h)
            guard LossRunner.Tolerance.gradient.accepts(analytic, numeric) else {
                throw LossRunner.Disagreement(message: "'\(evaluation.id)': dL/d\(variable.rawValue) at \(variable.rawValue) = \(v) is \(analytic) "
                                              + "but central differences of the Float64 reference give \(numeric)")
            }
            return analytic
        } catch let error as LossError {
            throw spec.error(error.description, at: spec.node(for: error, from: evaluation.origin))
        } catch let error as LossRunner.Disagreement {
            throw spec.error("verification failed: \(error.message)", hint: "the library and its reference disagree: fix the loss, not the note")
        } catch let error as ProbeError {
            throw spec.error(error.message, at: evaluation.origin.input)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw spec.error("\(error)")
        }
    }

    // MARK: - Text

    func text(_ key: String) -> String { strings[key] ?? key }

    /// The loss's name in this language (an unknown id is an error).
    func name(_ id: String) throws -> String {
        let descriptor = try Catalog.descriptor(for: id)
        return try names.name(of: descriptor.id) ?? descriptor.id
    }

    func loss(_ id: String) throws -> Cell {
        .loss(name: try name(id), id: id)
    }

    func gradientHeader(_ variable: ProbeVariable?) -> Cell {
        guard let variable else { return .math("\\partial L / \\partial x") }
        let symbol: String
        switch variable {
        case .r: symbol = "\\hat y"
        case .m: symbol = "f"
        case .p: symbol = "p_t"
        case .z: symbol = "z_t"
        case .w: symbol = "w"
        case .s: symbol = "s"
        case .o: symbol = "o"
        case .q: symbol = "q"
        case .a: symbol = "a"
        case .x: symbol = "x"
        }
        return .math("\\partial L / \\partial \(symbol)")
    }

    /// What a block's numbers were checked against, in whole sentences: the reference (values) or
    /// central differences of it (gradients) with the tolerance; the peer libraries whose values
    /// and gradients for these losses every build rechecks, or for a loss none has, the paper
    /// whose formula stands in (or that the reference is the only witness); and the fingerprint
    /// of the code as compiled into this binary.
    func verifiedText(_ key: String, tolerance: LossRunner.Tolerance, ids: Set<String>) -> String {
        func unique(_ items: [String]) -> [String] { items.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } } }
        let sorted = ids.sorted()
        let calls = unique(sorted.flatMap { PeerWitness.libraries[$0] ?? [] }.map(Self.call)).sorted()
        let papers = sorted.filter { PeerWitness.witnesses[$0] != nil }
        let unwitnessed = sorted.filter { PeerWitness.libraries[$0] == nil && PeerWitness.witnesses[$0] == nil }
        let separator = text("list_separator")
        var sentences = [text(key).utf8Replacing("{rtol}", with: Self.format(tolerance.relative, digits: 2))
            .utf8Replacing("{atol}", with: Self.format(tolerance.absolute, digits: 2))]
        if !calls.isEmpty {
            sentences.append(text("verified_peers").utf8Replacing("{libraries}", with: calls.joined(separator: separator)))
        }
        if !papers.isEmpty {
            let names = papers.map { (try? name($0)) ?? $0 }
            let cites = unique(papers.compactMap { PeerWitness.witnesses[$0]?.cite })
            sentences.append(text("verified_papers").utf8Replacing("{losses}", with: names.joined(separator: separator))
                .utf8Replacing("{cites}", with: cites.joined(separator: separator)))
        }
        if !unwitnessed.isEmpty && calls.isEmpty && papers.isEmpty { sentences.append(text("verified_no_peer")) }
        return escapeHTML(sentences.joined(separator: text("sentence_separator")))
            + "\(text("sentence_separator"))\(escapeHTML(text("verified_fingerprint")))<span class=\"fingerprint\">lossbook \(LossbookVersion.current), Losses \(sources.fingerprint.prefix(8))</span>"
    }

    /// "pytorch: torch.nn.L1Loss" → "torch.nn.L1Loss": the call names its library.
    static func call(_ peer: String) -> String {
        guard let colon = peer.firstIndex(of: ":") else { return peer }
        return peer[peer.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The mark under a table or plot: one short "✓ verified" that opens (no script: `<details>`)
    /// on what the numbers were checked against, the witnesses and the fingerprint.
    func verifiedMark(_ key: String, tolerance: LossRunner.Tolerance, ids: Set<String>) -> String {
        "<details class=\"verified\"><summary>\(escapeHTML(text("verified_summary")))</summary><p>\(verifiedText(key, tolerance: tolerance, ids: ids))</p></details>"
    }
}
