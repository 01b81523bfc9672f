import FormulaCheck
import Foundation
import LossFormulas
import Losses

/// The gradient formulas the catalog prose displays on the reference pages (the `## gradient`
/// section of `content/<lang>/reference/<id>.md`), checked against the library's analytic
/// gradient in every language (`CatalogBindings.gradients`).
///
/// A displayed gradient formula is a `$…$` span of the section with `\partial` left of an `=`;
/// one a binding names is evaluated for every element of every probe (`GradientChecker`), and a
/// disagreement fails the build at the span's line in the prose file.
///
/// Like `CatalogFormulaChecks`, a passing run is remembered on disk
/// (`gradient-checks-<key>`, ``PassingRunCache``) under a key made of this binary's fingerprint, the
/// macros and the gradient sections' text with their places; failures are never remembered.
struct CatalogGradientChecks: Sendable {
    struct Entry: Sendable, Equatable, Codable {
        var loss: String
        var language: String
        /// Index of the span in the section.
        var span: Int
        var tex: String
        var bound: Bool
        /// Element evaluations that agreed (0 when unbound or failed).
        var checked: Int
        var failure: String?
        var path: String
        var line: Int
        var column: Int
    }

    var entries: [Entry]
    /// Whether the entries came from the cache.
    var cached = false


    /// `run`, or a passing run with the same key from `cacheFile`.
    /// - Parameter proseKey: what the prose was read from (``SiteBuilder/DiscoveredSite/proseKey``:
    ///   every byte of every language's prose files, and the folder as messages name it), which
    ///   stands for the files' places in the key; empty: each file is read again for them.
    static func run(prose: CatalogProse, contentDirectory: URL, macros: [String: String], cacheFile: URL?,
                    fingerprint: String, proseKey: String = "") -> CatalogGradientChecks {
        var keyText = "1\u{1}\(LossbookVersion.current)\u{1}\(fingerprint)\u{1}" + DirectiveExpander.pairs(macros, separator: "\u{2}")
        keyText += "\u{1}" + proseKey
        for language in prose.languages {
            for descriptor in Catalog.descriptors {
                let text = prose.text(.gradient, of: descriptor.id, in: language)
                keyText += "\u{1}\(language)/\(descriptor.id)\u{2}\(text.isFallback)\u{2}\(text.text)"
                guard proseKey.isEmpty else { continue }
                let file = contentDirectory.appendingPathComponent(language).appendingPathComponent(CatalogProse.folder)
                    .appendingPathComponent("\(descriptor.id).md")
                // The whole file: a line added above the section moves the places the entries give.
                let source = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                keyText += "\u{2}\(fnv1a64Hex(Array(source.utf8)))"
            }
        }
        let key = fnv1a64Hex(Array(keyText.utf8))
        if let stored = PassingRunCache.load(cacheFile, key: key, entry: { try Entry(compact: &$0) }) {
            return CatalogGradientChecks(entries: stored, cached: true)
        }
        let result = run(prose: prose, contentDirectory: contentDirectory, macros: macros)
        if result.failures.isEmpty { PassingRunCache.save(result.entries, key: key, to: cacheFile) }
        return result
    }

    var failures: [Entry] { entries.filter { $0.failure != nil } }

    /// The `$…$` spans of a prose text, in order.
    static func spans(_ text: String) -> [String] {
        var spans: [String] = []
        var current: String?
        var previous: Character = " "
        for c in text {
            if c == "$", previous != "\\" {
                if let span = current { spans.append(span); current = nil } else { current = "" }
            } else if current != nil {
                current!.append(c)
            }
            previous = c
        }
        return spans
    }

    /// The span a binding checks: the first it names that is a gradient formula.
    static func gradientSpan(of formulas: [Int], in spans: [String]) -> Int? {
        formulas.first { spans.indices.contains($0) && isGradient(spans[$0]) }
    }

    /// The gradient formulas of a loss's gradient section (its text in one language) that a
    /// binding checks, in order: a build that passes has checked each of them.
    static func checkedFormulas(of loss: String, in text: String) -> [String] {
        let spans = Self.spans(text)
        let checked = Set(CatalogFormulas.proseGradients(of: loss).compactMap { gradientSpan(of: $0.formulas, in: spans) })
        return spans.indices.filter(checked.contains).map { spans[$0] }
    }

    static func isGradient(_ tex: String) -> Bool {
        guard let equals = tex.firstIndex(of: "=") else { return false }
        return tex[..<equals].contains(#"\partial"#)
    }

    static func run(prose: CatalogProse, contentDirectory: URL, macros: [String: String]) -> CatalogGradientChecks {
        var entries: [Entry] = []
        for language in prose.languages {
            for descriptor in Catalog.descriptors {
                let text = prose.text(.gradient, of: descriptor.id, in: language)
                guard !text.isFallback else { continue }
                let spans = Self.spans(text.text)
                let file = "\(descriptor.id).md"
                let source = try? String(contentsOf: contentDirectory.appendingPathComponent(language)
                    .appendingPathComponent(CatalogProse.folder).appendingPathComponent(file), encoding: .utf8)
                func entry(_ index: Int, bound: Bool) -> Entry {
                    let place = source.map { Self.place(of: "$\(spans[index])$", in: $0) } ?? (line: 1, column: 1)
                    return Entry(loss: descriptor.id, language: language, span: index, tex: spans[index], bound: bound, checked: 0,
                                 failure: nil, path: prose.displayPath(language, file), line: place.line, column: place.column)
                }
                // A language whose section displays no gradient formula has nothing to check (a
                // translation in words); one that displays some must display the bound one.
                guard spans.contains(where: isGradient) else { continue }
                let bindings = CatalogFormulas.proseGradients(of: descriptor.id)
                var bound: [Int: Entry] = [:]
                for binding in bindings {
                    guard let gradientSpan = Self.gradientSpan(of: binding.formulas, in: spans) else {
                        entries.append(Entry(loss: descriptor.id, language: language, span: -1, tex: "", bound: true, checked: 0,
                                             failure: "the binding names spans \(binding.formulas) of the gradient section, none of them a "
                                                + "gradient formula (\\partial left of =); the section has \(spans.count) $…$ spans",
                                             path: prose.displayPath(language, file), line: 1, column: 1))
                        continue
                    }
                    var result = entry(gradientSpan, bound: true)
                    do {
                        let tex = binding.formulas.map { spans.indices.contains($0) ? spans[$0] : "" }
                        for outcome in try binding.check(tex, macros: macros) {
                            result.checked += outcome.report.checked
                            if let d = outcome.report.disagreement {
                                let setting = outcome.settings.isEmpty ? "" : " with " + DirectiveExpander.pairs(outcome.settings, separator: ", ")
                                result.failure = "disagrees with \(binding.against)\(setting) on probe \(d.probe.label): the formula gives "
                                    + "\(DirectiveExpander.full(d.formulaValue)), \(binding.expected) \(DirectiveExpander.full(d.libraryValue)); "
                                    + "bound: \(d.bindings.joined(separator: ", "))"
                                result.checked = 0
                                break
                            }
                        }
                    } catch {
                        result.failure = "cannot be checked: \(error)"
                        result.checked = 0
                    }
                    bound[gradientSpan] = result
                }
                for index in spans.indices where isGradient(spans[index]) || bound[index] != nil {
                    entries.append(bound[index] ?? entry(index, bound: false))
                }
            }
        }
        return CatalogGradientChecks(entries: entries)
    }

    func diagnostics() -> [Diagnostic] {
        failures.map { entry in
            Diagnostic(entry.path, line: entry.line, column: entry.column, stage: .execute,
                       "gradient formula of '\(entry.loss)' \(entry.failure ?? "")",
                       hint: "fix the formula, its binding in Sources/LossFormulas/CatalogBindings.swift (gradients), or the loss")
        }
    }

    /// Line and column of `needle` in `text` (1, 1 when absent).
    static func place(of needle: String, in text: String) -> (line: Int, column: Int) {
        guard let range = text.range(of: needle) else { return (1, 1) }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        return (line, before.distance(from: lineStart, to: range.lowerBound) + 1)
    }
}

extension CatalogGradientChecks.Entry {
    /// An entry as its synthesised `Encodable` conformance wrote it in ``CompactCoding``'s form
    /// (an absent optional left out).
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("loss"); let loss = try reader.string()
            try reader.key("language"); let language = try reader.string()
            try reader.key("span"); let span = try reader.int()
            try reader.key("tex"); let tex = try reader.string()
            try reader.key("bound"); let bound = try reader.bool()
            try reader.key("checked"); let checked = try reader.int()
            let failure = reader.hasKey("failure") ? try reader.string() : nil
            try reader.key("path"); let path = try reader.string()
            try reader.key("line"); let line = try reader.int()
            try reader.key("column"); let column = try reader.int()
            return Self(loss: loss, language: language, span: span, tex: tex, bound: bound, checked: checked, failure: failure,
                        path: path, line: line, column: column)
        }
    }
}
