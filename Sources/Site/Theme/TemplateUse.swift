import Foundation
import Losses

/// The keys of every context the theme was rendered with in one build: the keys of every
/// object in it, lists' items included. A key is also recorded as *shown* when its value, at
/// least once, would open a section (`{{#key}}`, ``TemplateValue/opensSection``).
///
/// Recording stops once every name the templates' variables look up is known
/// (``TemplateUse/lookedUpNames(_:)``, computed once per theme): ``TemplateUse/unknownVariables``
/// can then report nothing, whatever later contexts hold, and each page and navigation item need
/// not be walked (a page's context has ~130 keys, its UI strings included). A build whose check
/// reports a variable never settles, so its suggestions still come from every context's keys.
final class ContextKeys: @unchecked Sendable {
    private let lock = NSLock()
    private var found = Found()
    /// Looked-up names no context has had yet; nil: record every context (no names given).
    private var missing: Set<String>?
    private var settled = false

    /// - Parameter names: the names the templates look up; nil records every context.
    init(settlingOn names: Set<String>? = nil) {
        missing = names
        settled = names?.isEmpty ?? false
    }

    /// Walks `context` into the build's sets in place (a key already recorded costs one lookup,
    /// no set is made per render), unless recording has settled.
    func record(_ context: [String: TemplateValue]) {
        lock.lock()
        defer { lock.unlock() }
        guard !settled else { return }
        found.collect(context)
        settle()
    }

    /// Whether recording has stopped (see the type's summary).
    var isSettled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return settled
    }

    /// Called with `lock` held.
    private func settle() {
        guard let names = missing else { return }
        let keys = found.keys
        missing = names.filter { !keys.contains($0) }  // a few names against the build's keys, not the other way
        settled = missing!.isEmpty
    }

    /// The keys under `context`, for ``record(_:)-swift.method`` now or later (a `serve` session
    /// keeps them with a page it reuses, whose context it then need not walk again).
    static func found(in context: [String: TemplateValue]) -> Found {
        var found = Found()
        found.collect(context)
        return found
    }

    func record(_ found: Found) {
        lock.lock()
        defer { lock.unlock() }
        guard !settled else { return }
        self.found.keys.formUnion(found.keys)
        self.found.shown.formUnion(found.shown)
        settle()
    }

    var all: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return found.keys
    }

    /// Keys whose section rendered its inside at least once.
    var shown: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return found.shown
    }

    struct Found: Sendable {
        var keys: Set<String> = []
        var shown: Set<String> = []

        fileprivate mutating func collect(_ object: [String: TemplateValue]) {
            for (key, value) in object {
                keys.insert(key)
                if value.opensSection { shown.insert(key) }
                collect(value)
            }
        }

        private mutating func collect(_ value: TemplateValue) {
            switch value {
            case let .object(fields): collect(fields)
            case let .list(items): for item in items { collect(item) }
            case .text, .bool, .null: break
            }
        }
    }
}

/// What swift-mustache renders as nothing without a word: a variable no context has
/// (`{{titel}}`), the page list without `nav-item.mustache`, a UI string missing in one language.
enum TemplateUse {
    /// Variables (`{{x}}`, `{{{x}}}`, `{{&x}}`, each part of `{{a.b}}`) that no context of this
    /// build had, at the tag. A section (`{{#x}}`) may name an absent key (that is how optional
    /// parts are written), and tags inside a section whose key never occurred are not judged
    /// (that part never rendered), nor tags inside a `{{#x}}` whose `x` was never true or
    /// non-empty in this build (an empty contents list: its items' fields exist in no context, yet
    /// the template is right). `strings.*` names are checked against `strings.yaml` instead.
    static func unknownVariables(_ texts: [String: String], displayRoot: String, known: Set<String>,
                                 shown: Set<String>? = nil) -> [Diagnostic] {
        let shown = shown ?? known
        var diagnostics: [Diagnostic] = []
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) where !text.contains("{{=") {
            var sections: [(key: String, rendered: Bool)] = []
            for tag in TemplateCheck.tags(text) {
                let path = variablePath(tag.name)
                let key = path.first ?? ""
                switch tag.kind {
                case "#"?:
                    sections.append((key, key.isEmpty || shown.contains(key)))
                    continue
                case "^"?:
                    sections.append((key, key.isEmpty || known.contains(key)))
                    continue
                case "/"?:
                    if let index = sections.lastIndex(where: { $0.key == key }) { sections.removeSubrange(index...) }
                    continue
                case nil, "&"?, "{"?:
                    break
                default:
                    continue
                }
                guard !path.isEmpty, path.first != "strings", sections.allSatisfy(\.rendered) else { continue }
                guard let unknown = path.first(where: { !known.contains($0) }) else { continue }
                let suggestion = Catalog.closest(to: unknown, in: known.sorted())
                diagnostics.append(Diagnostic("\(displayRoot)/\(name).mustache", line: tag.line, column: tag.column, stage: .theme,
                                              "unknown variable '\(unknown)': no page's context has it, so it would render empty",
                                              hint: suggestion.map { "did you mean '\($0)'?" } ?? "remove it, or write it as a section {{#\(unknown)}}…{{/\(unknown)}} if it is optional"))
            }
        }
        return diagnostics
    }

    /// Every part of every name a variable tag looks up in the templates ``unknownVariables(_:displayRoot:known:shown:)``
    /// judges: once all are known, it reports nothing, whichever sections rendered.
    static func lookedUpNames(_ texts: [String: String]) -> Set<String> {
        var names: Set<String> = []
        for text in texts.values where !text.contains("{{=") {
            for tag in TemplateCheck.tags(text) where tag.kind == nil || tag.kind == "&" || tag.kind == "{" {
                let path = variablePath(tag.name)
                if path.first != "strings" { names.formUnion(path) }
            }
        }
        return names
    }

    /// `strings.key` tags whose key a language's `strings.yaml` table lacks: one warning per key and language.
    static func missingStrings(_ texts: [String: String], displayRoot: String, strings: [String: [String: String]],
                               languages: [String]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var reported: Set<String> = []
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            for tag in TemplateCheck.tags(text) where tag.kind == nil || tag.kind == "&" || tag.kind == "{" || tag.kind == "#" || tag.kind == "^" {
                let path = variablePath(tag.name)
                guard path.count == 2, path[0] == "strings" else { continue }
                for language in languages where strings[language]?[path[1]] == nil && reported.insert("\(language)\u{1}\(path[1])").inserted {
                    var warning = Diagnostic("\(displayRoot)/\(name).mustache", line: tag.line, column: tag.column, stage: .theme,
                                             "UI string '\(path[1])' is missing for language '\(language)'",
                                             hint: "add '\(path[1]):' under '\(language):' in \(displayRoot)/strings.yaml")
                    warning.isWarning = true
                    diagnostics.append(warning)
                }
            }
        }
        return diagnostics
    }

    /// `navHTML` is the page list rendered item by item with `nav-item.mustache`: without that
    /// template it would be empty.
    static func missingNavigationItem(_ texts: [String: String], displayRoot: String) -> [Diagnostic] {
        guard texts["nav-item"] == nil else { return [] }
        return texts.sorted(by: { $0.key < $1.key }).flatMap { name, text in
            TemplateCheck.tags(text).filter { $0.kind != "!" && variablePath($0.name).first == "navHTML" }.map { tag in
                Diagnostic("\(displayRoot)/\(name).mustache", line: tag.line, column: tag.column, stage: .theme,
                           "'navHTML' is made with nav-item.mustache, which is missing",
                           hint: "add \(displayRoot)/nav-item.mustache (one entry of the page list)")
            }
        }
    }

    /// The name a tag looks up, split at dots; a transform's argument (`upper(title)`) is the name.
    /// Empty for the implicit iterator `.` and argument-less transforms (`index()`).
    static func variablePath(_ tagName: String) -> [String] {
        var name = tagName.trimmingCharacters(in: .whitespaces)
        if name.hasSuffix("}") { name.removeLast() } // `{{{x}}}`: the third brace
        if let open = name.lastIndex(of: "("), let close = name.firstIndex(of: ")"), open < close {
            name = String(name[name.index(after: open)..<close])
        }
        name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name != "." else { return [] }
        return name.split(separator: ".").map(String.init)
    }
}

extension SiteBuilder {
    /// After the theme has been applied: unknown template variables are errors, UI strings
    /// missing in a language warnings.
    mutating func checkTemplateUse(_ site: DiscoveredSite) throws {
        let theme = site.loaded.theme
        report.addWarnings(theme.missingStringWarnings)
        // With no page, the page template never rendered: no context can judge its variables
        // (discovery has warned that the site is empty).
        guard !site.pages.isEmpty else { return }
        // Every name the templates look up was in a context: nothing can be unknown.
        guard !theme.contextKeys.isSettled else { return }
        let errors = TemplateUse.unknownVariables(theme.texts, displayRoot: theme.displayRoot, known: theme.contextKeys.all,
                                                      shown: theme.contextKeys.shown)
        guard errors.isEmpty else { throw BuildFailure(errors) }
    }
}
