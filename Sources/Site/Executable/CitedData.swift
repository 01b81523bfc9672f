import Foundation
import Losses
import Yams

/// Published figures, transcribed into `content/data/<id>.yaml`: numbers this site shows but does
/// not compute, kept apart from the computed ones and always shown with where they come from.
///
/// A data set is one table of its source: named columns (`fields`, e.g. `multi-organ/dsc`), each a
/// column (a task) and a metric, and rows (one per loss), with the numbers written exactly as the
/// source prints them (`0.7200` keeps its zeros).
struct CitedDataset: Sendable, Equatable {
    var id: String
    /// The data file, as the user names it (for errors).
    var path: String
    /// Per language: what the table is, and who reported it ("Ma et al. (2021)").
    var title: [String: String]
    var reportedBy: [String: String]
    var provenance: Provenance
    /// Column (task) ids in the source's order, with their labels per language.
    var columns: [(id: String, label: [String: String])]
    var metrics: [(id: String, label: [String: String])]
    /// The source table's columns, in its order.
    var fields: [(column: String, metric: String)]
    var rows: [Row]

    struct Provenance: Sendable, Equatable {
        var paper: String
        var doi: String?
        /// Table or figure of the paper, if the numbers were checked against it.
        var table: String?
        var repository: String?
        var repositoryPath: String?
        var section: String?
        var commit: String?
        var url: String?
        var transcribedBy: String
        var transcribedOn: String
        var note: String?
    }

    struct Row: Sendable, Equatable {
        /// The source's own label ("GDice").
        var label: String
        /// The catalog id, when the loss is in the library.
        var loss: String?
        /// As printed in the source, one per field.
        var values: [String]
    }

    static func == (a: CitedDataset, b: CitedDataset) -> Bool {
        a.id == b.id && a.path == b.path && a.rows == b.rows && a.provenance == b.provenance
    }

    /// `content/data/*.yaml`, by file name without extension; no folder, no data.
    /// - Parameter limits: the site's (`lossbook.yaml`'s `yaml_depth` and `yaml_nodes` bound each file).
    static func loadAll(directory: URL, displayRoot: String, limits: Limits = Limits()) throws -> [String: CitedDataset] {
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var sets: [String: CitedDataset] = [:]
        var failures: [Diagnostic] = []
        for file in files {
            let id = file.deletingPathExtension().lastPathComponent
            let path = "\(displayRoot)/\(file.lastPathComponent)"
            do {
                let text = try String(contentsOf: file, encoding: .utf8)
                sets[id] = try parse(text, id: id, path: path, limits: limits)
            } catch let diagnostic as Diagnostic {
                failures.append(diagnostic)
            }
        }
        guard failures.isEmpty else { throw BuildFailure(failures) }
        return sets
    }

    static let keys = ["title", "reported_by", "source", "transcribed", "columns", "metrics", "fields", "rows"]

    static func parse(_ text: String, id: String, path: String, limits: Limits = Limits()) throws -> CitedDataset {
        let reader = YAMLReader(path: path, lineOffset: 0, stage: .data, limits: limits)
        var values: [String: (Node, Node)] = [:]
        for (key, keyNode, value) in try reader.mapping(text) {
            guard keys.contains(key) else { throw reader.unknownKey(keyNode, key, known: keys) }
            values[key] = (keyNode, value)
        }
        func required(_ key: String) throws -> Node {
            guard let node = values[key]?.1 else {
                throw Diagnostic(path, stage: .data, "missing '\(key)'", hint: "a data file has \(keys.joined(separator: ", "))")
            }
            return node
        }
        func localized(_ node: Node, _ key: String) throws -> [String: String] {
            if case .scalar = node { let s = try reader.string(node, key); return ["*": s] }
            var result: [String: String] = [:]
            for (language, _, value) in try reader.pairs(node) { result[language] = try reader.string(value, key) }
            return result
        }
        func fieldsOf(_ node: Node, known: [String]) throws -> [String: String] {
            var result: [String: String] = [:]
            for (key, keyNode, value) in try reader.pairs(node) {
                guard known.contains(key) else { throw reader.unknownKey(keyNode, key, known: known) }
                result[key] = try reader.string(value, key)
            }
            return result
        }
        let source = try fieldsOf(try required("source"),
                                  known: ["paper", "doi", "table", "repository", "path", "section", "commit", "url"])
        let transcribed = try fieldsOf(try required("transcribed"), known: ["by", "on", "note"])
        guard let paper = source["paper"] else { throw reader.diagnostic(values["source"]?.1, "'source' needs 'paper'") }
        guard let by = transcribed["by"], let on = transcribed["on"] else {
            throw reader.diagnostic(values["transcribed"]?.1, "'transcribed' needs 'by' and 'on' (who transcribed the numbers, and when)")
        }
        let provenance = Provenance(paper: paper, doi: source["doi"], table: source["table"], repository: source["repository"],
                                    repositoryPath: source["path"], section: source["section"], commit: source["commit"],
                                    url: source["url"], transcribedBy: by, transcribedOn: on, note: transcribed["note"])
        let columns = try reader.pairs(try required("columns")).map { ($0.key, try localized($0.value, $0.key)) }
        let metrics = try reader.pairs(try required("metrics")).map { ($0.key, try localized($0.value, $0.key)) }
        let fieldsNode = try required("fields")
        guard let fieldList = fieldsNode.sequence else { throw reader.diagnostic(fieldsNode, "'fields' must be a list of 'column/metric'") }
        let fields: [(column: String, metric: String)] = try fieldList.map { node in
            let text = try reader.string(node, "fields")
            let parts = text.split(separator: "/").map(String.init)
            guard parts.count == 2, columns.contains(where: { $0.0 == parts[0] }), metrics.contains(where: { $0.0 == parts[1] }) else {
                throw reader.diagnostic(node, "'\(text)' is not 'column/metric' with a column of 'columns' and a metric of 'metrics'")
            }
            return (parts[0], parts[1])
        }
        let rowsNode = try required("rows")
        guard let rowList = rowsNode.sequence else { throw reader.diagnostic(rowsNode, "'rows' must be a list") }
        let rows: [Row] = try rowList.map { node in
            var label: String?
            var loss: String?
            var numbers: [String] = []
            for (key, keyNode, value) in try reader.pairs(node) {
                switch key {
                case "label": label = try reader.string(value, key)
                case "loss":
                    let id = try reader.string(value, key)
                    guard Catalog.ids.contains(id) else {
                        throw reader.diagnostic(value, "unknown loss '\(id)'",
                                                hint: Catalog.closest(to: id, in: Catalog.ids).map { "did you mean '\($0)'?" })
                    }
                    loss = id
                case "values":
                    guard let list = value.sequence else { throw reader.diagnostic(value, "'values' must be a list of numbers") }
                    numbers = try list.map { cell in
                        let text = try reader.string(cell, key)
                        guard Double(text) != nil else { throw reader.diagnostic(cell, "'\(text)' is not a number") }
                        return text
                    }
                    guard numbers.count == fields.count else {
                        throw reader.diagnostic(value, "\(numbers.count) values for \(fields.count) fields")
                    }
                default: throw reader.unknownKey(keyNode, key, known: ["label", "loss", "values"])
                }
            }
            guard let label else { throw reader.diagnostic(node, "a row needs a 'label' (the source's name for the loss)") }
            return Row(label: label, loss: loss, values: numbers)
        }
        return CitedDataset(id: id, path: path, title: try localized(try required("title"), "title"),
                            reportedBy: try localized(try required("reported_by"), "reported_by"),
                            provenance: provenance, columns: columns, metrics: metrics, fields: fields, rows: rows)
    }

    /// A row by the source's label or by catalog id.
    func row(_ key: String) -> Row? {
        rows.first { $0.loss == key } ?? rows.first { $0.label.lowercased() == key.lowercased() }
    }
}

extension [String: String] {
    /// The text for `language`, or the language-neutral one.
    func text(_ language: String) -> String { self[language] ?? self["*"] ?? self["en"] ?? values.first ?? "" }
}
