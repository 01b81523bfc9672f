import Foundation
import Yams
import Losses

/// Reads YAML into positioned nodes and turns every mistake into a `Diagnostic`.
struct YAMLReader {
    let path: String
    /// Lines before the YAML in its file (the `---` of front matter).
    let lineOffset: Int
    let stage: Diagnostic.Stage
    /// Nesting and expanded size are checked before Yams builds the nodes.
    var limits = Limits()
    /// Columns before each line of the YAML in its file (``fileColumn(_:line:)``): an executable
    /// block in a list item or block quote is read de-indented.
    var columnShifts: [Int] = []

    /// The file's column of `column` on the YAML's 1-based `line`.
    func fileColumn(_ column: Int, line: Int) -> Int {
        line >= 1 && line <= columnShifts.count ? column + columnShifts[line - 1] : column
    }

    func diagnostic(_ node: Node?, _ message: String, hint: String? = nil) -> Diagnostic {
        let mark = node?.mark
        return Diagnostic(path, line: (mark?.line ?? 1) + lineOffset, column: fileColumn(mark?.column ?? 1, line: mark?.line ?? 1), stage: stage, message, hint: hint)
    }

    /// Yams's default constructor, made once: its `default` makes a new one, three tables, at
    /// each call. Immutable, so shared by every thread.
    nonisolated(unsafe) private static let constructor = Constructor.default

    /// The top-level mapping; an empty document is an empty mapping.
    ///
    /// The text is read as UTF-8, Swift's own strings' form: Yams's default encoding reads the
    /// whole process environment at each call to find `YAMS_DEFAULT_ENCODING` (350,000
    /// instructions, 130 times in a build of this repository's content). Its scalars are not
    /// resolved to YAML types (`Resolver.basic`): the reader asks each value for what it must be
    /// (``string(_:_:)``, ``int(_:_:)``, ``bool(_:_:)``, a null by its spelling), and resolving
    /// every scalar against Yams's default rules, seven regular expressions, was 53 M instructions
    /// of a prose edit of this repository's content (Yams hashes each key, by its type, to find
    /// duplicates). A key written twice is still a duplicate, quoted or not.
    func mapping(_ text: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        try checkShape(text)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic, Self.constructor, .utf8)
        } catch let error as YamlError {
            throw convert(error, yaml: text)
        }
        guard let node else { return [] }
        return try pairs(node)
    }

    func pairs(_ node: Node) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard let mapping = node.mapping else {
            throw diagnostic(node, "expected a mapping of 'key: value' lines")
        }
        var seen: Set<String> = []
        return try mapping.map { pair in
            guard let key = pair.key.string else { throw diagnostic(pair.key, "a key must be a plain string") }
            guard seen.insert(key).inserted else { throw diagnostic(pair.key, "duplicate key '\(key)'") }
            return (key, pair.key, pair.value)
        }
    }

    /// A string value; a YAML null (`~`, `null` or nothing after the colon) is a mistake, not the
    /// text "~" or an empty string (write `"~"` or `""` for those).
    func string(_ node: Node, _ key: String) throws -> String {
        guard case let .scalar(scalar) = node else { throw diagnostic(node, "'\(key)' must be a string") }
        guard NSNull.construct(from: scalar) == nil else {
            let what = scalar.string.isEmpty ? "has no value" : "is '\(scalar.string)', which YAML reads as no value"
            throw diagnostic(node, "'\(key)' \(what)",
                             hint: "write its value after the colon, quoted if it is '~' or 'null', or remove the line")
        }
        return scalar.string
    }

    func int(_ node: Node, _ key: String) throws -> Int {
        guard case .scalar = node, let value = node.int else { throw diagnostic(node, "'\(key)' must be a whole number") }
        return value
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard case let .scalar(scalar) = node, let value = Self.plainBool(scalar) else { throw diagnostic(node, "'\(key)' must be true or false") }
        return value
    }

    /// A plain scalar's truth value as YAML 1.1 spells one (`true`, `yes`, `on`; `false`, `no`,
    /// `off`; any case), read from its text. Yams's `Node.bool` reads the node's tag too, which an
    /// unresolved node (``mapping(_:)``'s) resolves to `str` once it is hashed or compared: the
    /// same value would then read as no truth value. A quoted or block scalar is text.
    static func plainBool(_ scalar: Node.Scalar) -> Bool? {
        guard scalar.style == .plain || scalar.style == .any else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    func unknownKey(_ keyNode: Node, _ key: String, known: [String]) -> Diagnostic {
        let suggestion = Catalog.closest(to: key, in: known)
        return diagnostic(keyNode, "unknown key '\(key)'",
                          hint: suggestion.map { "did you mean '\($0)'?" } ?? "known keys: \(known.joined(separator: ", "))")
    }

    private func convert(_ error: YamlError, yaml: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if problem.hasPrefix("Maximum nesting level reached") {
                return Diagnostic(path, line: mark.line + lineOffset, column: fileColumn(mark.column, line: mark.line), stage: stage,
                                  "YAML nested more than \(Limits.maximumYAMLDepth) levels deep", hint: "flatten it")
            }
            let message = [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ": ")
            let (hint, atOpening) = Self.hint(problem)
            // An unclosed list, mapping or quote is found where the text ends: the mistake is where it opens.
            let at = atOpening ? context?.mark ?? mark : mark
            return Diagnostic(path, line: at.line + lineOffset, column: fileColumn(at.column, line: at.line), stage: stage,
                              "invalid YAML: \(message)", hint: hint)
        case let .reader(problem, _, _, _):
            return Diagnostic(path, line: 1 + lineOffset, stage: stage, "invalid YAML: \(problem)",
                              hint: "save the file as UTF-8 text")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            // Point at the second occurrence of the first duplicated key, where the mistake is.
            var mark = (line: context.mark.line, column: context.mark.column)
            if let key = duplicates.sorted().first {
                let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
                let hits = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") }
                if hits.count > 1 {
                    let text = lines[hits[1]]
                    mark = (hits[1] + 1, text.prefix { $0 == " " }.count + 1)
                }
            }
            return Diagnostic(path, line: mark.line + lineOffset, column: fileColumn(mark.column, line: mark.line), stage: stage,
                              "duplicate key \(keys) in this mapping", hint: "keep one of them")
        default:
            return Diagnostic(path, line: 1 + lineOffset, stage: stage, "invalid YAML: \(FileError.oneLine("\(error)"))",
                              hint: Self.generalHint)
        }
    }

    /// What usually causes libyaml's `problem` in front matter and a block's options, and how to
    /// mend it; `atOpening` when the mistake is where the construct the parser was reading opens
    /// (an unclosed list, mapping or quote), not where the parser noticed it.
    static func hint(_ problem: String) -> (text: String, atOpening: Bool) {
        let known: [(problem: String, hint: String, atOpening: Bool)] = [
            ("did not find expected ',' or ']'", "close the list with ']' on its line, or quote a value that starts with '['", true),
            ("did not find expected ',' or '}'", "close the mapping with '}' on its line, or quote a value that starts with '{'", true),
            ("found unexpected end of stream", "close the quote this value opens, on the same line", true),
            ("mapping values are not allowed", "quote a value that holds ': ' (title: \"Loss: a note\"), and indent a key as deep as the keys beside it", false),
            ("found character that cannot start any token", "quote a value that starts with '@' or '`' (title: \"@home\")", false),
            ("found undefined alias", "quote a value that starts with '*': YAML reads '*name' as a reference", false),
            ("found unknown escape character", "in double quotes a backslash starts an escape: write TeX in single quotes ('\\mathcal{L}'), or double each backslash", false),
            ("found a tab character", "indent with spaces: YAML does not allow tabs there", false),
            ("could not find expected ':'", "write each entry as 'key: value' on a line of its own", true),
            ("did not find expected key", "quote a value that holds its own quote mark (\"it's\"), and indent the keys of a mapping alike", false),
            ("did not find expected '-' indicator", "write either 'key: value' lines or '- item' lines at one level, not both", false),
        ]
        if let match = known.first(where: { problem.contains($0.problem) }) { return (match.hint, match.atOpening) }
        return (generalHint, false)
    }

    /// The hint of a YAML mistake ``hint(_:)`` does not know.
    static let generalHint = "check this line's YAML: quoting the value mends most mistakes"
}
