import Foundation
import Mustache

/// swift-mustache's library of a theme's templates, parsed when first asked for: a theme read back
/// from the cache (``Theme/Stored``) renders with its compiled templates and parses none, unless a
/// page needs what only swift-mustache renders (``CompiledTemplate``).
final class TemplateLibrary: Sendable {
    private let library: OnFirstUse<MustacheLibrary>
    /// Template name → text: each parsed without error when the theme was loaded.
    private let texts: [String: String]

    /// A library already made (``Theme/load(directory:displayRoot:languages:builtIn:limits:)``).
    init(_ library: MustacheLibrary, texts: [String: String]) {
        self.library = OnFirstUse(made: library)
        self.texts = texts
    }

    /// Templates whose texts parsed when the theme was first loaded, parsed again when asked for.
    init(texts: [String: String]) {
        self.texts = texts
        library = OnFirstUse {
            var made = MustacheLibrary()
            for (name, text) in texts {
                if let template = try? MustacheTemplate(string: text) { made.register(template, named: name) }
            }
            return made
        }
    }

    /// Whether the theme has the template `name`.
    func has(_ name: String) -> Bool { texts[name] != nil }

    var parsed: MustacheLibrary { library.value }
}
