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
        var missingStrings: [Diagnostic]
        var displayRoot: String
        var lookedUpNames: [String]
    }

    var stored: Stored {
        Stored(texts: texts, compiled: compiled.mapValues(\.operations), strings: strings, usesSearch: usesSearch,
               usesNavigationScript: usesNavigationScript, warnings: warnings, missingStrings: missingStringWarnings,
               displayRoot: displayRoot, lookedUpNames: lookedUpNames.sorted())
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
        missingStringWarnings = stored.missingStrings
    }
}

extension Theme.Stored {
    /// A theme as ``CompactCoding`` wrote it, read without `Decodable`'s generic path, which looked
    /// the dictionaries' and operations' types up by name at each value (half of reading the
    /// theme back, 21 M instructions of a prose edit at 2,000 pages per language).
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("texts"); let texts = try reader.dictionary { try $0.string() }
            try reader.key("compiled")
            let compiled = try reader.dictionary { try $0.array { try CompiledTemplate.Operation(compact: &$0) } }
            try reader.key("strings"); let strings = try reader.dictionary { try $0.dictionary { try $0.string() } }
            try reader.key("usesSearch"); let usesSearch = try reader.bool()
            try reader.key("usesNavigationScript"); let usesNavigationScript = try reader.bool()
            try reader.key("warnings"); let warnings = try Diagnostic.array(compact: &reader)
            try reader.key("missingStrings"); let missingStrings = try Diagnostic.array(compact: &reader)
            try reader.key("displayRoot"); let displayRoot = try reader.string()
            try reader.key("lookedUpNames"); let lookedUpNames = try reader.array { try $0.string() }
            return Theme.Stored(texts: texts, compiled: compiled, strings: strings, usesSearch: usesSearch,
                                usesNavigationScript: usesNavigationScript, warnings: warnings, missingStrings: missingStrings,
                                displayRoot: displayRoot, lookedUpNames: lookedUpNames)
        }
    }
}

extension CompiledTemplate.Operation {
    /// An operation as its synthesised `Codable` writes it: a container with the case's name, holding
    /// its values (`_0`, `_1` unlabelled, else by label).
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            if reader.hasKey("text") {
                return try reader.keyed { reader in
                    try reader.key("_0")
                    return .text(try reader.string())
                }
            }
            if reader.hasKey("variable") {
                return try reader.keyed { reader in
                    try reader.key("_0"); let name = try CompiledTemplate.Name(compact: &reader)
                    try reader.key("escaped"); let escaped = try reader.bool()
                    return .variable(name, escaped: escaped)
                }
            }
            try reader.key("section")
            return try reader.keyed { reader in
                try reader.key("_0"); let name = try CompiledTemplate.Name(compact: &reader)
                try reader.key("_1"); let inner = try reader.array { try CompiledTemplate.Operation(compact: &$0) }
                try reader.key("inverted"); let inverted = try reader.bool()
                return .section(name, inner, inverted: inverted)
            }
        }
    }
}

extension CompiledTemplate.Name {
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("parts"); let parts = try reader.array { try $0.string() }
            try reader.key("anchored"); let anchored = try reader.bool()
            var name = CompiledTemplate.Name("")
            (name.parts, name.anchored) = (parts, anchored)
            return name
        }
    }
}
