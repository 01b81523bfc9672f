import ArgumentParser
import Foundation
import Losses

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the losses of the catalog.")

    @Flag(help: "Print the whole catalog as JSON.")
    var json = false

    func run() throws {
        if json {
            print(CatalogJSON.render(Catalog.descriptors))
            return
        }
        let rows = Catalog.descriptors.map { [$0.id, $0.category.rawValue, $0.name.en, $0.name.zh,
                                              $0.peers.map(\.library).joined(separator: ",")] }
        let header = ["id", "category", "name", "名称", "peers"]
        let widths = (0..<header.count).map { column in
            ([header] + rows).map { displayWidth($0[column]) }.max() ?? 0
        }
        for row in [header] + rows {
            print(row.enumerated().map { i, cell in
                cell + String(repeating: " ", count: widths[i] - displayWidth(cell))
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    /// Terminal columns: CJK characters take two.
    func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && $1.properties.isIdeographic) || ($1.value >= 0xFF00 && $1.value <= 0xFFEF) ? 2 : 1) }
    }
}

/// The catalog as JSON: every field of every descriptor, keys sorted, stable across runs.
enum CatalogJSON {
    static func render(_ descriptors: [LossDescriptor]) -> String {
        let array = descriptors.map(object)
        let data = try! JSONSerialization.data(withJSONObject: array, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func localized(_ text: Localized) -> [String: String] { ["zh": text.zh, "en": text.en] }

    static func object(_ d: LossDescriptor) -> [String: Any] {
        [
            "id": d.id, "name": localized(d.name), "category": d.category.rawValue, "formulas": d.formulas,
            "parameters": d.parameters.map(parameter), "input": localized(d.inputConvention),
            "gradient": localized(d.gradientNote), "notes": localized(d.notes),
            "peers": d.peers.map { ["library": $0.library, "call": $0.call, "note": localized($0.note)] },
            "citation": ["text": d.citation.text, "url": d.citation.url.map { $0 as Any } ?? NSNull()] as [String: Any],
        ]
    }

    static func parameter(_ p: ParameterSpec) -> [String: Any] {
        var object: [String: Any] = ["name": p.name, "default": value(p.defaultValue), "description": localized(p.description)]
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
