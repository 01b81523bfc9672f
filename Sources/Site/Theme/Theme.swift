import Foundation
import Mustache
import Yams

/// The user's templates (`templates/*.mustache`), UI strings (`templates/strings.yaml`)
/// and static files (`templates/assets/`). Editing them needs no Swift.
///
/// Required templates: `page` (every note), `home` (the site root, choosing a language), `404`.
struct Theme: Sendable {
    static let requiredTemplates = ["page", "home", "404"]

    /// swift-mustache's library of the templates: it renders what ``compiled`` does not take.
    let library: TemplateLibrary
    /// The templates ``CompiledTemplate`` takes, by name; the others render with `library` alone.
    var compiled: [String: CompiledTemplate] = [:]
    /// Language code → key → text.
    let strings: [String: [String: String]]
    let assetsDirectory: URL
    /// The built-in theme's assets (`assets/…` → text), written before `assetsDirectory`'s.
    var builtInAssets: [String: String] = [:]
    /// A template names `{{searchIndex}}` (the index script's URL): only then is the index built.
    var usesSearch = false
    /// The page template names `{{navScript}}`: pages load their language's list from one shared
    /// script (``NavigationScript``) instead of each carrying it.
    var usesNavigationScript = false

    /// UI strings the Swift code reads (executable blocks, reference pages, notices, code blocks),
    /// on top of the `strings.x` names the templates use. Every language must define all of them.
    static let codeStringKeys = [
        "copy", "missing_translation", "stale_translation", "permalink",
        "value", "gradient", "loss", "case", "input", "mask", "plot", "lines", "verified_value", "verified_gradient", "verified_peers", "verified_no_peer",
        "ref_index_title", "ref_index_intro", "ref_loss", "ref_peers", "ref_formula", "ref_parameters", "ref_name", "ref_default",
        "ref_range", "ref_description", "ref_integer", "ref_list", "ref_input", "ref_gradient", "ref_library", "ref_call",
        "ref_relation", "ref_no_peer", "ref_notes", "ref_example", "ref_gradient_table", "ref_plot", "ref_code", "ref_citation",
        "ref_mentions", "ref_no_mentions", "ref_gradient_caption", "ref_example_reduction", "ref_example_no_reduction",
        "ref_plot_caption",
        "ref_properties", "props_summary", "props_property", "props_observed", "props_range", "props_perfect", "props_symmetry",
        "props_convexity", "props_gradient", "props_gradient_short_header", "props_empty", "props_empty_short_header", "props_na",
        "props_range_cell", "props_nonfinite", "props_perfect_cell", "props_swap_symmetric", "props_swap_asymmetric",
        "props_swap_symmetric_short", "props_swap_asymmetric_short", "props_uo_cell", "props_uo_equal_short", "props_uo_differ_short",
        "props_convex_none", "props_convex_none_short", "props_convex_found", "props_convex_found_short", "props_convex_ends", "props_convex_target",
        "props_gradient_cell", "props_gradient_short", "props_empty_cell", "props_empty_short", "props_verified",
    ] + ReferenceExample.Probe.allCases.map { "ref_probe_\($0.rawValue)" }
    /// UI strings a language lacked and borrowed (from the source language or the built-in theme): one warning per language.
    var warnings: [Diagnostic] = []
    /// `strings.x` tags whose key a language's UI strings lack (``TemplateUse/missingStrings(_:displayRoot:strings:languages:)``),
    /// found when the theme is loaded: they depend on nothing else, and scanning the templates for
    /// them was 10 M instructions of every build that renders a page.
    var missingStringWarnings: [Diagnostic] = []
    /// Template name → text, and the folder as shown in messages: for ``TemplateUse``'s checks.
    var texts: [String: String] = [:]
    var displayRoot = "templates"
    /// Every key the contexts of this build's renders had, until the template check is settled
    /// (``TemplateUse``): settling on the names the templates look up.
    private(set) var contextKeys: ContextKeys
    /// The names the templates look up (what ``contextKeys`` settles on).
    let lookedUpNames: Set<String>

    /// This theme for another build (`serve` keeps a theme whose files did not change): the same
    /// templates and strings, with a record of the contexts' keys of its own.
    func forAnotherBuild() -> Theme {
        var theme = self
        theme.contextKeys = ContextKeys(settlingOn: lookedUpNames)
        return theme
    }

    /// - Parameter builtIn: a theme's files by path (``BuiltInTheme/files``) that `directory`'s
    ///   replace one by one; empty: `directory` alone.
    /// - Parameter limits: the site's (`lossbook.yaml`'s `yaml_depth` and `yaml_nodes` bound `strings.yaml`).
    static func load(directory: URL, displayRoot: String, languages: [String], builtIn: [String: String] = [:],
                     limits: Limits = Limits()) throws -> Theme {
        let fm = FileManager.default
        let own = Set(((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []))
        // A file's text and how messages name it: the folder's, else the built-in one.
        // A file that is not UTF-8 text (or holds a NUL) is an error at its first bad byte.
        var undecodable: [String: Diagnostic] = [:]
        func source(_ file: String) -> (text: String?, display: String) {
            if own.contains(file) || builtIn[file] == nil {
                let display = "\(displayRoot)/\(file)"
                guard let data = fm.contents(atPath: directory.appendingPathComponent(file).path) else { return (nil, display) }
                do {
                    return (try SourceFiles.decode(data, path: display), display)
                } catch {
                    undecodable[file] = error as? Diagnostic
                    return (nil, display)
                }
            }
            return (builtIn[file], "\(BuiltInTheme.displayRoot)/\(file)")
        }
        var library = MustacheLibrary()
        var diagnostics: [Diagnostic] = []
        var texts: [String: String] = [:]
        var templateKeys: Set<String> = []
        var usesSearch = false
        let files = own.union(builtIn.keys.filter { !$0.contains("/") }).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let (text, display) = source(file)
            guard let text else {
                diagnostics.append(undecodable[file] ?? Diagnostic(display, stage: .theme, "cannot read template",
                                                                   hint: "check that the file is readable"))
                continue
            }
            texts[String(file.dropLast(".mustache".count))] = text
            templateKeys.formUnion(stringKeys(inTemplate: text))
            if text.contains("searchIndex") { usesSearch = true }
            do {
                let template = try MustacheTemplate(string: text)
                if let open = TemplateCheck.unfinishedTag(text) { diagnostics.append(TemplateCheck.unfinished(at: open, path: display)) }
                library.register(template, named: String(file.dropLast(".mustache".count)))
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(TemplateCheck.describe(error, text: text, path: display))
            } catch {
                diagnostics.append(Diagnostic(display, stage: .theme, "template syntax error: \(error)"))
            }
        }
        for name in requiredTemplates where library.getTemplate(named: name) == nil && !files.contains("\(name).mustache") {
            diagnostics.append(Diagnostic("\(displayRoot)/\(name).mustache", stage: .theme, "missing template '\(name)'",
                                          hint: "every theme needs \(requiredTemplates.map { $0 + ".mustache" }.joined(separator: ", "))"))
        }
        diagnostics += try linksLeavingTheProject(directory: directory, displayRoot: displayRoot, files: own)
        diagnostics += TemplateCheck.partials(texts, displayRoot: displayRoot)
        diagnostics += TemplateUse.missingNavigationItem(texts, displayRoot: displayRoot)
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }

        let (stringsFile, stringsPath) = source("strings.yaml")
        if let problem = undecodable["strings.yaml"] { throw problem }
        if stringsFile == nil, own.contains("strings.yaml") {
            // (It was "no UI strings for language …", as if the file were empty.)
            throw Diagnostic(stringsPath, stage: .theme, "cannot read the UI strings", hint: "check that the file is readable")
        }
        let reader = YAMLReader(path: stringsPath, lineOffset: 0, stage: .theme, limits: limits)
        func table(_ text: String) throws -> [(language: String, node: Node, entries: [String: String])] {
            try reader.mapping(text).map { language, node, table in
                var entries: [String: String] = [:]
                for (key, _, value) in try reader.pairs(table) { entries[key] = try reader.string(value, key) }
                return (language, node, entries)
            }
        }
        let ownStrings = try table(stringsFile ?? "")
        var strings = Dictionary(ownStrings.map { ($0.language, $0.entries) }, uniquingKeysWith: { first, _ in first })
        // Where a key is missing: the source language's text, else the built-in theme's (a theme
        // written before a string was added), in this language, then in the source language.
        let usingBuiltIn = stringsPath.hasPrefix(BuiltInTheme.displayRoot)
        let source = languages.first ?? ""
        var builtInStrings: [String: [String: String]]?  // read only when a key is missing
        func builtInText(_ language: String, _ key: String) -> String? {
            guard !usingBuiltIn else { return nil }
            if builtInStrings == nil {
                builtInStrings = Dictionary((builtIn["strings.yaml"].flatMap { try? table($0) } ?? []).map { ($0.language, $0.entries) },
                                            uniquingKeysWith: { first, _ in first })
            }
            return builtInStrings?[language]?[key] ?? builtInStrings?[source]?[key]
        }
        let needed = templateKeys.union(codeStringKeys)
        var warnings: [Diagnostic] = []
        for (language, node, entries) in ownStrings where languages.contains(language) {
            var borrowed: [String] = []
            for key in needed.subtracting(entries.keys).sorted() {
                let fallback = (language == source ? nil : strings[source]?[key]) ?? builtInText(language, key)
                guard let fallback else {
                    let user = templateKeys.contains(key) ? "a template uses 'strings.\(key)'" : "the generated pages use it"
                    diagnostics.append(reader.diagnostic(node, "no UI string '\(key)' for language '\(language)'",
                                                         hint: "\(user); add '\(key): …' under '\(language):'"))
                    continue
                }
                strings[language, default: [:]][key] = fallback
                borrowed.append(key)
            }
            guard !borrowed.isEmpty else { continue }
            var warning = reader.diagnostic(node, "UI strings missing for language '\(language)', shown from the source language or the built-in theme: "
                                            + borrowed.map { "'\($0)'" }.joined(separator: ", "),
                                            hint: "add them under '\(language):'")
            warning.isWarning = true
            warnings.append(warning)
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
        for language in languages where strings[language] == nil {
            throw Diagnostic(stringsPath, stage: .theme, "no UI strings for language '\(language)'",
                             hint: "add a '\(language):' section")
        }
        let names = TemplateUse.lookedUpNames(texts)
        var theme = Theme(library: TemplateLibrary(library, texts: texts), strings: strings, assetsDirectory: directory.appendingPathComponent("assets"),
                          builtInAssets: builtIn.filter { $0.key.hasPrefix("assets/") }, usesSearch: usesSearch,
                          texts: texts, displayRoot: displayRoot, contextKeys: ContextKeys(settlingOn: names), lookedUpNames: names)
        theme.usesNavigationScript = texts["page"]?.contains("navScript") ?? false
        for name in texts.keys {
            if let template = library.getTemplate(named: name) { theme.compiled[name] = CompiledTemplate(template) }
        }
        theme.warnings = warnings
        theme.missingStringWarnings = TemplateUse.missingStrings(texts, displayRoot: displayRoot, strings: strings, languages: languages)
        return theme
    }

    /// The theme's files, like the notes', may link only inside the project that holds the
    /// templates folder; its assets are walked now, so that a link out, a cycle or a FIFO is
    /// reported before any page is rendered. Every build checks them, a kept theme's too (a link
    /// inside a linked assets folder changes no stamp the theme is kept under).
    /// - Parameter files: the names in `directory`.
    static func linksLeavingTheProject(directory: URL, displayRoot: String, files: Set<String>) throws -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let project = OutputSafety.realPath(directory).deletingLastPathComponent().path
        for file in files.sorted() where file.hasSuffix(".mustache") || file == "strings.yaml" {
            if let real = SourceFiles.outside(directory.appendingPathComponent(file).path, project: project) {
                diagnostics.append(SourceFiles.leaving("\(displayRoot)/\(file)", to: real, project: project))
            }
        }
        do {
            try SiteFiles.forEachFile(in: directory.appendingPathComponent("assets"), at: "assets", inside: project) { _, _ in }
        } catch let diagnostic as Diagnostic {
            diagnostics.append(diagnostic)
        }
        return diagnostics
    }

    /// The `x` of every `{{strings.x}}` (or `{{{strings.x}}}`, `{{#strings.x}}`) in a template.
    static func stringKeys(inTemplate text: String) -> Set<String> {
        var keys: Set<String> = []
        var rest = Substring(text)
        while let range = rest.range(of: "strings.") {
            let key = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !key.isEmpty { keys.insert(String(key)) }
            rest = rest[range.upperBound...]
        }
        return keys
    }

    /// `template` rendered for `context`, compiled when it can be (the same bytes: see
    /// ``CompiledTemplate``), by swift-mustache otherwise; the context's keys go to ``contextKeys``.
    func render(_ template: String, _ context: some MustacheContext) -> String {
        render(template, values: context.values)
    }

    /// ``render(_:_:)`` of a context's ``MustacheContext/values``.
    func render(_ template: String, values: [String: TemplateValue]) -> String {
        String(decoding: renderBytes(template, values: values), as: UTF8.self)
    }

    /// ``render(_:_:)`` as UTF-8 bytes, not made a string when the template is compiled (``CompiledTemplate``).
    func renderBytes(_ template: String, _ context: some MustacheContext) -> [UInt8] {
        renderBytes(template, values: context.values)
    }

    /// ``renderBytes(_:_:)`` of a context's ``MustacheContext/values``.
    func renderBytes(_ template: String, values: [String: TemplateValue]) -> [UInt8] {
        contextKeys.record(values)
        if let html = compiled[template]?.renderBytes(values) { return html }
        return Array((library.parsed.render(TemplateValue.object(values).mustache, withTemplate: template) ?? "").utf8)
    }
}
