import Foundation
import Yams

/// How much work one input may ask for (`limits:` in `lossbook.yaml`). Every count is checked
/// before the work it bounds is done, so an oversized input is one positioned error, never a
/// runaway build.
public struct Limits: Sendable, Equatable {
    /// Bytes of one note file (checked before it is read).
    public var noteBytes = 10_000_000
    /// Elements of one tensor written in a block (`cases` inputs and targets, `mask` grids).
    public var tensorElements = 1_000_000
    /// Loss evaluations of one block, each counted by the elements of its input
    /// (`vary` values × `series` values × `losses` × `cases`, times the tensor's size).
    public var blockEvaluations = 10_000_000
    /// Nesting depth of a YAML document (front matter, a block's body, catalog prose, cited data,
    /// UI strings; the configuration itself is read under the default).
    public var yamlDepth = 64
    /// Nodes a YAML document expands to, aliases (`*name`) expanded: bounds alias bombs.
    public var yamlNodes = 2_000_000

    public init() {}

    static let keys = ["note_bytes", "tensor_elements", "block_evaluations", "yaml_depth", "yaml_nodes"]

    /// The deepest nesting libyaml parses (`MAX_NESTING_LEVEL` in Yams' CYaml): a higher
    /// `yaml_depth` could never be reached, the parser refusing first with its own message.
    static let maximumYAMLDepth = 1000

    /// The `limits:` mapping; every value is a positive whole number.
    static func parse(_ node: Node, _ reader: YAMLReader) throws -> Limits {
        var limits = Limits()
        for (key, keyNode, value) in try reader.pairs(node) {
            guard keys.contains(key) else { throw reader.unknownKey(keyNode, key, known: keys) }
            if case let .scalar(scalar) = value, value.int == nil, !scalar.string.isEmpty, scalar.string.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw reader.diagnostic(value, "'\(key)' is larger than the largest whole number lossbook can count, \(Int.max)")
            }
            let n = try reader.int(value, key)
            guard n > 0 else { throw reader.diagnostic(value, "'\(key)' must be a positive whole number") }
            if key == "yaml_depth", n > maximumYAMLDepth {
                throw reader.diagnostic(value, "'yaml_depth' may be at most \(maximumYAMLDepth), the YAML parser's own limit")
            }
            switch key {
            case "note_bytes": limits.noteBytes = n
            case "tensor_elements": limits.tensorElements = n
            case "block_evaluations": limits.blockEvaluations = n
            case "yaml_depth": limits.yamlDepth = n
            case "yaml_nodes": limits.yamlNodes = n
            default: throw reader.unknownKey(keyNode, key, known: keys)
            }
        }
        return limits
    }

    /// No bound a block could reach (for measuring what a block asks for).
    static var unbounded: Limits {
        var limits = Limits()
        limits.tensorElements = .max
        limits.blockEvaluations = .max
        return limits
    }

    /// With the built-in reference pages on, a `tensor_elements` or `block_evaluations` below what
    /// their blocks need (`ReferencePages.limitsNeeded`) is one error at that limit in
    /// `lossbook.yaml`, not one error per page in text the site's author cannot edit.
    static func checkReferencePages(_ limits: Limits, _ node: Node?, _ reader: YAMLReader) throws {
        // The defaults hold the pages (a test keeps them so); only a lowered limit is measured.
        guard let node, limits.tensorElements < Limits().tensorElements || limits.blockEvaluations < Limits().blockEvaluations,
              let pairs = try? reader.pairs(node) else { return }
        let needed = ReferencePages.limitsNeeded
        for (key, value, needs) in [("tensor_elements", limits.tensorElements, needed.tensorElements),
                                    ("block_evaluations", limits.blockEvaluations, needed.blockEvaluations)] where value < needs {
            let what = key == "tensor_elements" ? "a tensor of \(needs) numbers" : "a block of \(needs) loss evaluations"
            throw reader.diagnostic(pairs.first { $0.key == key }?.value ?? node,
                                    "'\(key)' is \(value), but the built-in reference pages hold \(what)",
                                    hint: "raise it to at least \(needs), or leave the reference pages out with 'reference_pages: false'")
        }
    }

    /// The limits by their `lossbook.yaml` names, as the keys of what a build keeps for the next
    /// (``KeptBetweenBuilds``, the theme's key) name them: written out, where `"\(limits)"` made
    /// it by reflection, 6.7 M instructions each time, three times a build (a fifth of a prose edit
    /// of this repository's content).
    var key: String {
        "note_bytes=\(noteBytes) tensor_elements=\(tensorElements) block_evaluations=\(blockEvaluations) "
            + "yaml_depth=\(yamlDepth) yaml_nodes=\(yamlNodes)"
    }

    /// The hint of every limit error: where to raise it.
    static func raise(_ key: String) -> String { "or raise 'limits: \(key):' in lossbook.yaml" }
}

extension Limits {
    /// A note larger than `limit` bytes is refused before it is read.
    static func checkNoteSize(_ url: URL, display: String, limit: Int) throws {
        // `stat`, not `FileManager.attributesOfItem`: that one measures a symlinked note's link
        // (a few bytes), not the note the build then reads, and lists extended attributes too.
        var info = stat()
        guard stat(url.path, &info) == 0, Int(info.st_size) > limit else { return }
        let size = Int(info.st_size)
        throw Diagnostic(display, stage: .discovery, "note of \(size) bytes is larger than the limit of \(limit) bytes",
                         hint: "split it into several notes, " + raise("note_bytes"))
    }
}
