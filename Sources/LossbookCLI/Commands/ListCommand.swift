import ArgumentParser
import Foundation
import Losses
import Site

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the losses of the catalog.")

    @Flag(help: "Print the whole catalog as JSON.")
    var json = false
    @Option(help: "The notes folder, for the losses' names and descriptions (content/<lang>/reference/); without it, ids only.")
    var content = "content"

    func run() throws {
        let prose = try loadProse()
        if json {
            print(CatalogJSON.render(Catalog.descriptors, prose: prose))
            return
        }
        let languages = prose?.languages ?? []
        let rows = Catalog.descriptors.map { d in
            [d.id, d.category.rawValue] + languages.map { prose!.text(.title, of: d.id, in: $0).text }
                + [d.parameters.map(\.name).joined(separator: ","), d.peers.map(\.library).joined(separator: ",")]
        }
        let header = ["id", "category"] + languages.map { "name (\($0))" } + ["parameters", "peers"]
        let widths = (0..<header.count).map { column in
            ([header] + rows).map { displayWidth($0[column]) }.max() ?? 0
        }
        for row in [header] + rows {
            print(row.enumerated().map { i, cell in
                cell + String(repeating: " ", count: widths[i] - displayWidth(cell))
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    /// The catalog prose of every language of the content folder, if there is one.
    func loadProse() throws -> CatalogProse? {
        let directory = URL(fileURLWithPath: content)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(SiteConfig.fileName).path) else { return nil }
        do {
            let config = try SiteConfig.load(contentDirectory: directory, displayPath: "\(content)/\(SiteConfig.fileName)")
            return try CatalogProse.load(contentDirectory: directory, displayRoot: content, languages: config.languages.map(\.code),
                                         limits: config.limits)
        } catch {
            throw fail(error)
        }
    }

    /// Terminal columns: CJK characters take two.
    func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && $1.properties.isIdeographic) || ($1.value >= 0xFF00 && $1.value <= 0xFFEF) ? 2 : 1) }
    }
}

/// The catalog as JSON: every field of every descriptor, keys sorted, stable across runs; with
/// catalog prose, its texts as `{language: text}` objects (`name`, `input`, `gradient`, `notes`,
/// each parameter's `description`, each peer's `note`).
enum CatalogJSON {
    static func render(_ descriptors: [LossDescriptor], prose: CatalogProse?) -> String {
        let array = descriptors.map { object($0, prose: prose) }
        let data = try! JSONSerialization.data(withJSONObject: array, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func object(_ d: LossDescriptor, prose: CatalogProse?) -> [String: Any] {
        func text(_ item: CatalogProse.Item) -> [String: String] {
            guard let prose else { return [:] }
            return Dictionary(uniqueKeysWithValues: prose.languages.map { ($0, prose.text(item, of: d.id, in: $0).text) })
        }
        var object: [String: Any] = [
            "id": d.id, "category": d.category.rawValue, "formulas": d.formulas,
            "parameters": d.parameters.map { p -> [String: Any] in
                var o = parameter(p)
                if prose != nil { o["description"] = text(.parameter(p.name)) }
                return o
            },
            "peers": d.peers.map { p -> [String: Any] in
                var o: [String: Any] = ["library": p.library, "call": p.call]
                if prose != nil { o["note"] = text(.peer(library: p.library, call: p.call)) }
                return o
            },
            "citation": ["text": d.citation.text, "url": d.citation.url.map { $0 as Any } ?? NSNull()] as [String: Any],
        ]
        if prose != nil {
            object["name"] = text(.title)
            object["input"] = text(.input)
            object["gradient"] = text(.gradient)
            object["notes"] = text(.notes)
        }
        return object
    }

    static func parameter(_ p: ParameterSpec) -> [String: Any] {
        var object: [String: Any] = ["name": p.name, "default": value(p.defaultValue)]
        switch p.kind {
        case let .number(min, max, minOpen, maxOpen):
            object["kind"] = "number"
            object["min"] = min ?? NSNull()
            object["max"] = max ?? NSNull()
            object["min_exclusive"] = minOpen
            object["max_exclusive"] = maxOpen
        case let .integer(min, max):
            object["kind"] = "integer"
            object["min"] = min ?? NSNull()
            object["max"] = max ?? NSNull()
        case .bool:
            object["kind"] = "bool"
        case let .choice(options):
            object["kind"] = "choice"
            object["choices"] = options
        case let .numbers(min, max):
            object["kind"] = "numbers"
            object["min"] = min ?? NSNull()
            object["max"] = max ?? NSNull()
        }
        return object
    }

    static func value(_ v: ParameterValue) -> Any {
        switch v {
        case let .number(x): return x
        case let .bool(b): return b
        case let .string(s): return s
        case let .numbers(xs): return xs
        }
    }
}
