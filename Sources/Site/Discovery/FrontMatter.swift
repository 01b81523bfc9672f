import Yams

/// A page's YAML front matter: `title`, `description`, `weight`, `slug`, `draft`,
/// and for translations `source_hash` (the content hash of the source page it was translated from).
public struct FrontMatter: Sendable, Equatable, Codable {
    public var title: String?
    public var description: String?
    public var weight: Int = 0
    public var slug: String?
    public var draft = false
    public var sourceHash: String?
    /// Line of the `slug:` key in the file, for messages about the output path it chooses.
    public var slugLine: Int?

    static let keys = ["title", "description", "weight", "slug", "draft", "source_hash"]
    /// Linux's NAME_MAX: the longest name of one file or folder, in bytes.
    static let maximumSlugBytes = 255

    /// Splits `---` front matter from the markdown body; a mistake of the front matter is thrown
    /// (one `Diagnostic`, or a `BuildFailure` for several). Discovery reads on past them: ``read(_:path:limits:)``.
    /// - Parameter limits: the site's (`lossbook.yaml`'s `yaml_depth` and `yaml_nodes` bound the YAML).
    /// - Returns: the front matter, the body, and how many lines precede the body.
    static func split(_ text: String, path: String, limits: Limits = Limits()) throws -> (FrontMatter, body: String, bodyLineOffset: Int) {
        let note = try read(text, path: path, limits: limits)
        if note.problems.count == 1 { throw note.problems[0] }
        guard note.problems.isEmpty else { throw BuildFailure(note.problems) }
        return (note.frontMatter, note.body, note.bodyLineOffset)
    }

    /// Splits `---` front matter from the markdown body, keeping the front matter's mistakes
    /// beside the body instead of throwing them, so that one run reports them and the body's own.
    /// Only a front matter that is never closed is thrown: where the body starts is then unknown.
    static func read(_ text: String, path: String, limits: Limits = Limits()) throws -> SplitNote {
        // Discovery has already dropped a BOM and turned CRLF into LF; callers that did not are served too.
        let normalized = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // Read line by line up to the closing fence; the body is the rest of the text as it is.
        func line(from start: String.Index) -> (text: Substring, next: String.Index?) {
            guard let newline = normalized.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) else { return (normalized[start...], nil) }
            return (normalized[start..<newline], normalized.utf8.index(after: newline))
        }
        // A fence is `---` (or `...` to close) with nothing after it but blanks and a CR.
        func isFence(_ line: Substring, _ marks: [String]) -> Bool {
            var trimmed = line
            while let last = trimmed.last, last == " " || last == "\t" || last == "\r" { trimmed.removeLast() }
            return marks.contains(String(trimmed))
        }
        let first = line(from: normalized.startIndex)
        guard isFence(first.text, ["---"]) else {
            return SplitNote(frontMatter: FrontMatter(), body: normalized, bodyLineOffset: 0, problems: [])
        }
        var end = 1
        var next = first.next
        let yamlStart = next ?? normalized.endIndex
        var yamlEnd = yamlStart
        while true {
            guard let start = next else {
                throw Diagnostic(path, line: 1, column: 1, stage: .frontMatter, "front matter opened with '---' is never closed",
                                 hint: "end it with a line holding only '---'")
            }
            let current = line(from: start)
            if isFence(current.text, ["---", "..."]) { break }
            yamlEnd = current.text.endIndex
            next = current.next
            end += 1
        }
        let yaml = String(normalized[yamlStart..<yamlEnd])
        let body = line(from: next!).next.map { String(normalized[$0...]) } ?? ""
        let (matter, problems) = try parse(yaml, path: path, limits: limits)
        return SplitNote(frontMatter: matter, body: body, bodyLineOffset: end + 1, problems: problems)
    }

    /// The front matter and every mistake in it: YAML that does not parse gives one mistake and
    /// every key at its default; otherwise each key in error is one mistake and keeps its default.
    static func parse(_ yaml: String, path: String, limits: Limits = Limits()) throws -> (FrontMatter, problems: [Diagnostic]) {
        let reader = YAMLReader(path: path, lineOffset: 1, stage: .frontMatter, limits: limits)
        var matter = FrontMatter()
        let pairs: [(key: String, keyNode: Node, value: Node)]
        do {
            pairs = try reader.mapping(yaml)
        } catch let diagnostic as Diagnostic {
            return (matter, [diagnostic])
        }
        var problems: [Diagnostic] = []
        for (key, keyNode, value) in pairs {
            do {
                try matter.set(key, keyNode: keyNode, value: value, reader)
            } catch let diagnostic as Diagnostic {
                problems.append(diagnostic)
            }
        }
        return (matter, problems)
    }

    /// Sets one key; a value in error leaves the key at its default.
    private mutating func set(_ key: String, keyNode: Node, value: Node, _ reader: YAMLReader) throws {
        switch key {
        case "title": title = try reader.string(value, key)
        case "description": description = try reader.string(value, key)
        case "weight": weight = try reader.int(value, key)
        case "slug":
            let slug = try reader.string(value, key)
            guard !slug.isEmpty, !slug.contains("/"), slug != ".", slug != ".." else {
                throw reader.diagnostic(value, "'slug' must be one non-empty path segment without '/'")
            }
            // A hidden folder: the build skips such names among the notes, and many hosts do not serve them.
            guard !slug.hasPrefix(".") else {
                throw reader.diagnostic(value, "'slug' may not start with '.': the page would be a hidden folder, which many web hosts do not serve",
                                        hint: "drop the leading '.'")
            }
            // A folder name: at most NAME_MAX bytes, and no NUL (a file system would cut the path there).
            guard slug.utf8.count <= Self.maximumSlugBytes, !slug.utf8.contains(0) else {
                throw reader.diagnostic(value, slug.utf8.contains(0) ? "'slug' contains a NUL character"
                                        : "'slug' is \(slug.utf8.count) bytes long; a folder name may have at most \(Self.maximumSlugBytes)",
                                        hint: "shorten it")
            }
            self.slug = slug
            slugLine = keyNode.mark.map { $0.line + 1 }
        case "draft": draft = try reader.bool(value, key)
        case "source_hash": sourceHash = try reader.string(value, key)
        default: throw reader.unknownKey(keyNode, key, known: Self.keys)
        }
    }
}

/// A note's text split at the end of its front matter (``FrontMatter/read(_:path:limits:)``).
struct SplitNote: Sendable {
    var frontMatter: FrontMatter
    var body: String
    /// Lines before the body, so body line n is file line n + offset.
    var bodyLineOffset: Int
    /// The front matter's mistakes; the keys they concern keep their defaults in `frontMatter`.
    var problems: [Diagnostic]
}
