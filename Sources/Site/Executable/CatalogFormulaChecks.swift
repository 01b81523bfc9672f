import FormulaCheck
import Foundation
import LossFormulas
import Losses

/// The catalog's formulas that `CatalogBindings` binds, checked against `Losses` once per build.
///
/// The result depends only on code compiled into this binary (the losses, the bindings, the
/// checker) and on the site's macros, so a passing run is remembered on disk under that key
/// (`formula-checks-<key>` in the per-user folder of ``SiteBuilder/binaryChecksFolder(_:)``,
/// one file a key: ``PassingRunCache``) and the next build with the same binary skips it.
/// Failures are never remembered on disk; within one process the result of a key is kept
/// (`computed`), failing or not, as the same code gives the same result.
struct CatalogFormulaChecks: Sendable {
    /// One formula of one loss's descriptor.
    struct Entry: Codable, Sendable, Equatable {
        var loss: String
        /// 0-based index in `descriptor.formulas`.
        var index: Int
        var tex: String
        var bound: Bool
        /// Probe evaluations that agreed (0 when unbound or failed).
        var checked: Int
        /// Why it failed, when it did.
        var failure: String?
        /// The failure's evidence for `--verbose` (``DirectiveExpander/details(_:)``).
        var details: [String]?
    }


    var entries: [Entry]
    /// Whether the entries came from the cache.
    var cached: Bool

    /// Checks every bound catalog formula (or reads a passing run with the same key).
    static func run(cacheFile: URL?, fingerprint: String, macros: [String: String]) -> CatalogFormulaChecks {
        var keyText = "1\u{1}\(LossbookVersion.current)\u{1}\(fingerprint)\u{1}"
        keyText += DirectiveExpander.pairs(macros, separator: "\u{2}")
        let key = fnv1a64Hex(Array(keyText.utf8))
        if let stored = PassingRunCache.load(cacheFile, key: key, entry: { try Entry(compact: &$0) }) {
            return CatalogFormulaChecks(entries: stored, cached: true)
        }
        let result = CatalogFormulaChecks(entries: computed.value(key) { check(macros: macros) }, cached: false)
        if result.failures.isEmpty { PassingRunCache.save(result.entries, key: key, to: cacheFile) }
        return result
    }

    /// The runs this process made, by key: a build with no cache folder or an empty one (a test run
    /// makes hundreds) does not check the catalog again.
    private static let computed = ProcessMemo<[Entry]>()

    /// Every bound formula on its probes; the entries of every descriptor formula.
    private static func check(macros: [String: String]) -> [Entry] {
        var entries: [Entry] = []
        for descriptor in Catalog.descriptors {
            let bindings = (CatalogBindings.all + CatalogBindings.formulaGradients.map(\.value)).filter { $0.loss == descriptor.id }
            for (index, tex) in descriptor.formulas.enumerated() {
                entries.append(Entry(loss: descriptor.id, index: index, tex: tex,
                                     bound: bindings.contains { $0.formulas.contains(index) }, checked: 0, failure: nil))
            }
        }
        // Value formulas against the loss, gradient formulas (`\nabla_w R = …`) against its gradient.
        let checks: [(binding: FormulaBinding, run: @Sendable () throws -> [CatalogFormulas.Outcome])] =
            CatalogBindings.all.map { binding in (binding, { try CatalogFormulas.check(binding, macros: macros) }) }
            + CatalogBindings.formulaGradients.map { gradient in
                (gradient.value, { try CatalogFormulas.checkDescriptorGradient(gradient, macros: macros) })
            }
        // Each binding's probes on its own, spread over the cores (a cold build's largest fixed
        // cost); the entries are then filled in binding order, as a serial run would.
        let outcomes = ConcurrentResults<(checked: Int, failure: String?, details: [String]?)>(count: checks.count)
        DispatchQueue.concurrentPerform(iterations: checks.count) { k in
            outcomes.set(k, outcome(of: checks[k].run))
        }
        for (k, binding) in checks.map(\.binding).enumerated() {
            let (checked, failure, details) = outcomes[k]!
            for i in entries.indices where entries[i].loss == binding.loss && binding.formulas.contains(entries[i].index) {
                entries[i].checked = failure == nil ? checked : 0
                if let failure {
                    entries[i].failure = failure
                    entries[i].details = details
                }
            }
        }
        return entries
    }

    /// One binding's probes: how many agreed, or the first disagreement (and its evidence) or error.
    private static func outcome(of run: () throws -> [CatalogFormulas.Outcome]) -> (checked: Int, failure: String?, details: [String]?) {
        var checked = 0
        do {
            for outcome in try run() {
                checked += outcome.report.checked
                if let d = outcome.report.disagreement {
                    let setting = outcome.settings.isEmpty ? "" : " with " + DirectiveExpander.pairs(outcome.settings, separator: ", ")
                    let failure = "disagrees with the library\(setting) on probe \(d.probe.label): the formula gives "
                        + "\(DirectiveExpander.full(d.formulaValue)), Losses computes \(DirectiveExpander.full(d.libraryValue))"
                    return (checked, failure, DirectiveExpander.details(d))
                }
            }
        } catch {
            return (checked, "cannot be checked: \(error)", nil)
        }
        return (checked, nil, nil)
    }

    var failures: [Entry] { entries.filter { $0.failure != nil } }

    /// A failure as an error at the formula's line in the catalog's sources (as compiled in).
    func diagnostics(sources: LossSources) -> [Diagnostic] {
        failures.map { entry in
            let place = Self.place(of: entry.tex, loss: entry.loss, in: sources)
            var diagnostic = Diagnostic(place.path, line: place.line, column: place.column, stage: .execute,
                                        "catalog formula \(entry.index) of '\(entry.loss)' \(entry.failure ?? "")",
                                        hint: "fix the formula in the loss's descriptor, its binding in Sources/LossFormulas/CatalogBindings.swift, or the loss")
            diagnostic.details = entry.details ?? []
            return diagnostic
        }
    }

    /// Where a formula's text is written in the loss sources (its raw string literal): in the file
    /// that declares the loss first, since two losses may share a formula's text (tversky's
    /// TP, FP, FN stand in focal-tversky's descriptor too).
    static func place(of tex: String, loss: String, in sources: LossSources) -> (path: String, line: Int, column: Int) {
        let declares = "id: \"\(loss)\""
        let files = sources.files.sorted { a, b in
            let (x, y) = (a.value.contains(declares), b.value.contains(declares))
            return x != y ? x : a.key < b.key
        }
        for (path, text) in files {
            guard let range = text.range(of: tex) else { continue }
            let before = text[..<range.lowerBound]
            let line = before.filter { $0 == "\n" }.count + 1
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return (path, line, column)
        }
        return ("Sources/Losses/Catalog", 1, 1)
    }
}

extension CatalogFormulaChecks.Entry {
    /// An entry as its synthesised `Encodable` conformance wrote it in ``CompactCoding``'s form
    /// (an absent optional left out).
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("loss"); let loss = try reader.string()
            try reader.key("index"); let index = try reader.int()
            try reader.key("tex"); let tex = try reader.string()
            try reader.key("bound"); let bound = try reader.bool()
            try reader.key("checked"); let checked = try reader.int()
            let failure = reader.hasKey("failure") ? try reader.string() : nil
            let details = reader.hasKey("details") ? try reader.array { try $0.string() } : nil
            return Self(loss: loss, index: index, tex: tex, bound: bound, checked: checked, failure: failure, details: details)
        }
    }
}
