/// A page's YAML front matter: `title`, `description`, `weight`, `slug`, `draft`,
/// and for translations `source_hash` (the content hash of the source page it was translated from).
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var weight: Int = 0
    public var slug: String?
    public var draft = false
    public var sourceHash: String?
    /// Line of the `slug:` key in the file, for messages about the output path it chooses.
    public var slugLine: Int?

    static let keys = ["title", "description", "weight", "slug", "draft", "source_hash"]

    /// Splits `---` front matter from the markdown body.
    /// - Parameter limits: the site's (`lossbook.yaml`'s `yaml_depth` and `yaml_nodes` bound the YAML).
    /// - Returns: the front matter, the body, and how many lines precede the body.
    static func split(_ text: String, path: String, limits: Limits = Limits()) throws -> (FrontMatter, body: String, bodyLineOffset: Int) {
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
            return (FrontMatter(), normalized, 0)
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
        let matter = try parse(yaml, path: path, limits: limits)
        return (matter, body, end + 1)
    }

    static func parse(_ yaml: String, path: String, limits: Limits = Limits()) throws -> FrontMatter {
        let reader = YAMLReader(path: path, lineOffset: 1, stage: .frontMatter, limits: limits)
        var matter = FrontMatter()
        for (key, keyNode, value) in try reader.mapping(yaml) {
            switch key {
            case "title": matter.title = try reader.string(value, key)
            case "description": matter.description = try reader.string(value, key)
            case "weight": matter.weight = try reader.int(value, key)
            case "slug":
                let slug = try reader.string(value, key)
                guard !slug.isEmpty, !slug.contains("/"), slug != ".", slug != ".." else {
                    throw reader.diagnostic(value, "'slug' must be one non-empty path segment without '/'")
                }
                matter.slug = slug
                matter.slugLine = keyNode.mark.map { $0.line + 1 }
            case "draft": matter.draft = try reader.bool(value, key)
            case "source_hash": matter.sourceHash = try reader.string(value, key)
            default: throw reader.unknownKey(keyNode, key, known: keys)
            }
        }
        return matter
    }
}
