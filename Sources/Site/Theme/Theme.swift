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
    /// Template name → text, and the folder as shown in messages: for ``TemplateUse``'s checks.
    var texts: [String: String] = [:]
    var displayRoot = "templates"
    /// Every key the contexts of this build's renders had (``TemplateUse``).
    let contextKeys = ContextKeys()

    static func load(directory: URL, displayRoot: String, languages: [String]) throws -> Theme {
        let fm = FileManager.default
        var library = MustacheLibrary()
        var diagnostics: [Diagnostic] = []
        var texts: [String: String] = [:]
        let files = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let display = "\(displayRoot)/\(file)"
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else {
                diagnostics.append(Diagnostic(display, stage: "templates", "cannot read template"))
                continue
            }
            texts[String(file.dropLast(".mustache".count))] = text
            do {
                library.register(try MustacheTemplate(string: text), named: String(file.dropLast(".mustache".count)))
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(TemplateCheck.describe(error, text: text, path: display))
            } catch {
                diagnostics.append(Diagnostic(display, stage: "templates", "template syntax error: \(error)"))
            }
        }
        for name in requiredTemplates where library.getTemplate(named: name) == nil && !files.contains("\(name).mustache") {
            diagnostics.append(Diagnostic("\(displayRoot)/\(name).mustache", stage: "templates", "missing template '\(name)'",
                                          hint: "every theme needs \(requiredTemplates.map { $0 + ".mustache" }.joined(separator: ", "))"))
        }
        diagnostics += TemplateCheck.partials(texts, displayRoot: displayRoot)
        diagnostics += TemplateUse.missingNavigationItem(texts, displayRoot: displayRoot)
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }

        let stringsPath = "\(displayRoot)/strings.yaml"
        let stringsText = (try? String(contentsOf: directory.appendingPathComponent("strings.yaml"), encoding: .utf8)) ?? ""
        let reader = YAMLReader(path: stringsPath, lineOffset: 0, stage: "templates")
        var strings: [String: [String: String]] = [:]
        for (language, _, table) in try reader.mapping(stringsText) {
            var entries: [String: String] = [:]
            for (key, _, value) in try reader.pairs(table) {
                entries[key] = try reader.string(value, key)
            }
            strings[language] = entries
        }
        for language in languages where strings[language] == nil {
            throw Diagnostic(stringsPath, stage: "templates", "no UI strings for language '\(language)'",
                             hint: "add a '\(language):' section")
        }
        return Theme(library: library, strings: strings, assetsDirectory: directory.appendingPathComponent("assets"),
                     texts: texts, displayRoot: displayRoot)
    }

    func render(_ template: String, _ context: [String: Any]) -> String {
        contextKeys.record(context)
        return library.render(context, withTemplate: template) ?? ""
    }
}
