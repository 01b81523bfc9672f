import Foundation
import Mustache

/// swift-mustache's library of a theme's templates, parsed when first asked for: a theme read back
/// from the cache (``Theme/Stored``) renders with its compiled templates and parses none, unless a
/// page needs what only swift-mustache renders (``CompiledTemplate``).
final class TemplateLibrary: @unchecked Sendable {
    private let lock = NSLock()
    private var library: MustacheLibrary?
    /// Template name → text: each parsed without error when the theme was loaded.
    private let texts: [String: String]

    /// A library already made (``Theme/load(directory:displayRoot:languages:builtIn:limits:)``).
    init(_ library: MustacheLibrary, texts: [String: String]) {
        self.library = library
        self.texts = texts
    }

    /// Templates whose texts parsed when the theme was first loaded, parsed again when asked for.
    init(texts: [String: String]) {
        self.texts = texts
    }

    /// Whether the theme has the template `name`.
    func has(_ name: String) -> Bool { texts[name] != nil }

    var parsed: MustacheLibrary {
        lock.lock()
        defer { lock.unlock() }
        if let library { return library }
        var made = MustacheLibrary()
        for (name, text) in texts {
            if let template = try? MustacheTemplate(string: text) { made.register(template, named: name) }
        }
        library = made
        return made
    }
}

extension Theme {
    /// What a loaded theme is, kept in the cache folder for the next build with the same templates
    /// folder, languages, limits and binary (``SiteBuilder/loadTheme(_:_:cache:)``): parsing its templates
    /// with swift-mustache, compiling them (``CompiledTemplate``, which reads swift-mustache's tokens
    /// with `Mirror`), checking them and reading `strings.yaml` took 77 M instructions each build,
    /// 15 % of a prose edit of this repository's content. Only a theme that loaded is kept, with its
    /// warnings (printed again at each build, as a fresh load prints them), in ``CompactCoding``'s form.
    struct Stored: Codable {
        var texts: [String: String]
        var compiled: [String: [CompiledTemplate.Operation]]
        var strings: [String: [String: String]]
        var usesSearch: Bool
        var usesNavigationScript: Bool
        var warnings: [Diagnostic]
        var displayRoot: String
        var lookedUpNames: [String]
    }

    var stored: Stored {
        Stored(texts: texts, compiled: compiled.mapValues(\.operations), strings: strings, usesSearch: usesSearch,
               usesNavigationScript: usesNavigationScript, warnings: warnings, displayRoot: displayRoot,
               lookedUpNames: lookedUpNames.sorted())
    }

    /// The theme `stored` describes, its templates folder `directory` and built-in files `builtIn`
    /// (which the key it was stored under stands for).
    init(_ stored: Stored, directory: URL, builtIn: [String: String]) {
        let names = Set(stored.lookedUpNames)
        self.init(library: TemplateLibrary(texts: stored.texts), strings: stored.strings,
                  assetsDirectory: directory.appendingPathComponent("assets"),
                  builtInAssets: builtIn.filter { $0.key.hasPrefix("assets/") }, usesSearch: stored.usesSearch,
                  texts: stored.texts, displayRoot: stored.displayRoot, contextKeys: ContextKeys(settlingOn: names), lookedUpNames: names)
        usesNavigationScript = stored.usesNavigationScript
        compiled = stored.compiled.mapValues { CompiledTemplate(operations: $0) }
        warnings = stored.warnings
    }
}
