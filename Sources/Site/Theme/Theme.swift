import Foundation
import Mustache
import Yams

/// The user's templates (`templates/*.mustache`), UI strings (`templates/strings.yaml`)
/// and static files (`templates/assets/`). Editing them needs no Swift.
///
/// Required templates: `page` (every note), `home` (the site root, choosing a language), `404`.
struct Theme: Sendable {
    static let requiredTemplates = ["page", "home", "404"]

    let library: MustacheLibrary
    /// Language code → key → text.
    let strings: [String: [String: String]]
    let assetsDirectory: URL

    static func load(directory: URL, displayRoot: String, languages: [String]) throws -> Theme {
        let fm = FileManager.default
        var library = MustacheLibrary()
        var diagnostics: [Diagnostic] = []
        let files = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let display = "\(displayRoot)/\(file)"
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else {
                diagnostics.append(Diagnostic(display, stage: .theme, "cannot read template"))
                continue
            }
            do {
                library.register(try MustacheTemplate(string: text), named: String(file.dropLast(".mustache".count)))
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(Diagnostic(display, line: error.context.lineNumber, column: max(1, error.context.columnNumber),
                                              stage: .theme, "template syntax error: \(error.error)",
                                              hint: "near '\(error.context.line.trimmingCharacters(in: .whitespaces))'"))
            } catch {
                diagnostics.append(Diagnostic(display, stage: .theme, "template syntax error: \(error)"))
            }
        }
        for name in requiredTemplates where library.getTemplate(named: name) == nil && !files.contains("\(name).mustache") {
            diagnostics.append(Diagnostic("\(displayRoot)/\(name).mustache", stage: .theme, "missing template '\(name)'",
                                          hint: "every theme needs \(requiredTemplates.map { $0 + ".mustache" }.joined(separator: ", "))"))
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }

        let stringsPath = "\(displayRoot)/strings.yaml"
        let stringsText = (try? String(contentsOf: directory.appendingPathComponent("strings.yaml"), encoding: .utf8)) ?? ""
        let reader = YAMLReader(path: stringsPath, lineOffset: 0, stage: .theme)
        var strings: [String: [String: String]] = [:]
        for (language, _, table) in try reader.mapping(stringsText) {
            var entries: [String: String] = [:]
            for (key, _, value) in try reader.pairs(table) {
                entries[key] = try reader.string(value, key)
            }
            strings[language] = entries
        }
        for language in languages where strings[language] == nil {
            throw Diagnostic(stringsPath, stage: .theme, "no UI strings for language '\(language)'",
                             hint: "add a '\(language):' section")
        }
        return Theme(library: library, strings: strings, assetsDirectory: directory.appendingPathComponent("assets"))
    }

    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}
