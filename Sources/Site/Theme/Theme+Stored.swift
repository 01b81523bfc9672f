import Foundation

extension Theme {
    /// What a loaded theme is, kept in the cache folder for the next build with the same templates
    /// folder, languages, limits and binary (``SiteBuilder/loadTheme(_:_:cache:inputs:)``): parsing its templates
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
