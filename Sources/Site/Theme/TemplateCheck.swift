import Mustache
import Synchronization

/// What swift-mustache does not say about a template: where an unclosed section opened, what
/// `overflow` means, and which partials (`{{> name}}`) are missing or include themselves
/// (rendering a recursive partial would recurse until the stack overflows).
enum TemplateCheck {
    struct Tag {
        var kind: Character?
        var name: String
        var line: Int
        var column: Int
    }

    /// The `{{…}}` tags of a template with their positions (default delimiters). Found once per
    /// text: loading the theme and checking what it uses scanned each template five times (30 M
    /// instructions of every build that does work, whatever the site's size).
    static func tags(_ text: String) -> [Tag] { scanOnce(text).tags }

    /// ``scan(_:)``, remembered by text: a remembered scan is taken only for the same bytes
    /// (`String`'s `==` holds two normalisations of one text equal, whose tags' names differ).
    private static func scanOnce(_ text: String) -> Scan {
        if let known = scanned.withLock({ $0[text] }), known.text.utf8.elementsEqual(text.utf8) { return known.scan }
        let found = scan(text)
        scanned.withLock {
            if $0.count >= 64 { $0.removeAll() } // a `serve` session's edited templates, bounded
            $0[text] = (text, found)
        }
        return found
    }

    private typealias Scan = (tags: [Tag], unfinished: (line: Int, column: Int)?)
    private static let scanned = Mutex<[String: (text: String, scan: Scan)]>([:])

    /// Where a `{{` opens that no `}}` closes, when the template sets no other delimiters:
    /// swift-mustache takes a lone `{{` at the very end of a file for text.
    static func unfinishedTag(_ text: String) -> (line: Int, column: Int)? {
        guard !text.contains("{{=") else { return nil }
        return scanOnce(text).unfinished
    }

    private static func scan(_ text: String) -> (tags: [Tag], unfinished: (line: Int, column: Int)?) {
        var tags: [Tag] = []
        var line = 1, column = 1
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            if characters[i] == "{", i + 1 < characters.count, characters[i + 1] == "{" {
                let (startLine, startColumn) = (line, column)
                var j = i + 2
                while j + 1 < characters.count, !(characters[j] == "}" && characters[j + 1] == "}") { j += 1 }
                guard j + 1 < characters.count else { return (tags, (startLine, startColumn)) }
                var body = String(characters[(i + 2)..<j]).trimmingCharacters(in: .whitespaces)
                var kind: Character?
                if let first = body.first, "#^/>!&{".contains(first) {
                    kind = first
                    body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces)
                }
                tags.append(Tag(kind: kind, name: body, line: startLine, column: startColumn))
                for c in characters[i...(j + 1)] {
                    if c == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                i = j + 2
                continue
            }
            if characters[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return (tags, nil)
    }

    /// A parser error as one positioned, readable diagnostic.
    static func describe(_ error: MustacheTemplate.ParserError, text: String, path: String) -> Diagnostic {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let atEnd = error.context.lineNumber >= lines.count && error.context.line.trimmingCharacters(in: .whitespaces).isEmpty
        var line = error.context.lineNumber, column = max(1, error.context.columnNumber)
        if atEnd {
            line = max(1, text.hasSuffix("\n") ? lines.count - 1 : lines.count)
            column = (lines.isEmpty ? 0 : lines[line - 1].count) + 1
        }
        let message: String
        switch error.error {
        case MustacheTemplate.Error.expectedSectionEnd:
            if let open = unclosedSection(text) {
                return Diagnostic(path, line: open.line, column: open.column, stage: .theme,
                                  "section '{{\(open.kind!)\(open.name)}}' is never closed", hint: "add '{{/\(open.name)}}' where it ends")
            }
            message = "a section is never closed"
        case MustacheTemplate.Error.sectionCloseNameIncorrect:
            message = "this '{{/…}}' does not close the section that is open"
        case MustacheTemplate.Error.unfinishedName:
            message = "unfinished tag: a '{{' without its '}}'"
        case MustacheTemplate.Error.invalidSetDelimiter:
            message = "malformed set-delimiter tag"
        default:
            let name = "\(error.error)"
            if name == "overflow", let open = unfinishedTag(text) { return unfinished(at: open, path: path) }
            message = name == "overflow" ? "the file ends inside a tag (a '{{' without its '}}')" : "template syntax error: \(name)"
        }
        let near = error.context.line.trimmingCharacters(in: .whitespaces)
        return Diagnostic(path, line: line, column: column, stage: .theme, message, hint: near.isEmpty ? nil : "near '\(near)'")
    }

    /// A `{{` that no `}}` closes, at the `{{`.
    static func unfinished(at open: (line: Int, column: Int), path: String) -> Diagnostic {
        Diagnostic(path, line: open.line, column: open.column, stage: .theme,
                   "unfinished tag: a '{{' without its '}}'", hint: "close the tag with '}}'")
    }

    /// The innermost section still open at the end of the text.
    static func unclosedSection(_ text: String) -> Tag? {
        var stack: [Tag] = []
        for tag in tags(text) {
            if tag.kind == "#" || tag.kind == "^" { stack.append(tag) }
            if tag.kind == "/", let index = stack.lastIndex(where: { $0.name == tag.name }) { stack.removeSubrange(index...) }
        }
        return stack.last
    }

    /// Missing and recursive partials of every template (name → text, display root for paths).
    static func partials(_ templates: [String: String], displayRoot: String) -> [Diagnostic] {
        var references: [String: [Tag]] = [:]
        for (name, text) in templates { references[name] = tags(text).filter { $0.kind == ">" } }
        var diagnostics: [Diagnostic] = []
        for (name, tags) in references.sorted(by: { $0.key < $1.key }) {
            for tag in tags where templates[tag.name] == nil {
                diagnostics.append(Diagnostic("\(displayRoot)/\(name).mustache", line: tag.line, column: tag.column, stage: .theme,
                                              "missing partial '\(tag.name)'", hint: "add \(displayRoot)/\(tag.name).mustache"))
            }
        }
        // A partial that can reach itself: reported at the reference that closes the loop.
        for (name, _) in references.sorted(by: { $0.key < $1.key }) {
            var path: [(template: String, tag: Tag)] = []
            var visiting: Set<String> = []
            func visit(_ current: String) -> Bool {
                visiting.insert(current)
                defer { visiting.remove(current) }
                for tag in references[current] ?? [] where templates[tag.name] != nil {
                    path.append((current, tag))
                    if tag.name == name { return true }
                    if !visiting.contains(tag.name), visit(tag.name) { return true }
                    path.removeLast()
                }
                return false
            }
            guard visit(name) else { continue }
            let chain = ([name] + path.map(\.tag.name)).joined(separator: " → ")
            let first = path[0]
            diagnostics.append(Diagnostic("\(displayRoot)/\(name).mustache", line: first.tag.line, column: first.tag.column, stage: .theme,
                                          "recursive partial: \(chain)", hint: "a partial may not include itself"))
        }
        return diagnostics
    }
}
