import Foundation

/// Loss names in one language, by id (``CatalogProse/names(in:)``), for the directives that show
/// them.
///
/// A site that owns its catalog prose (`content/<lang>/reference/`) or shows reference pages reads
/// the prose before rendering, and its names are fixed. Any other site has only the prose compiled
/// into the binary, which is the same for every build of that binary: it is parsed when a block
/// first asks for a name, once per build, and never by a build whose blocks name no loss (or whose
/// pages all come from the page memo). Parsing it was about a sixth of the CPU of a full rebuild of
/// the 1,000-page benchmark corpus.
struct LossNames: Sendable, ExpressibleByDictionaryLiteral {
    private let names: @Sendable () throws -> [String: String]

    init(_ names: [String: String]) { self.names = { names } }

    init(dictionaryLiteral elements: (String, String)...) { self.init(Dictionary(uniqueKeysWithValues: elements)) }

    /// The names of `language` from `prose`, read on first use.
    init(_ prose: Deferred, language: String) { names = { try prose.names()[language] ?? [:] } }

    /// The loss's name, nil when this language's prose has none.
    /// - Throws: what reading the deferred prose threw (a `yaml_depth` or `yaml_nodes` limit below
    ///   what the compiled-in prose needs).
    func name(of id: String) throws -> String? { try names()[id] }

    /// Every language's names, read from the catalog prose once, by whichever thread first asks.
    final class Deferred: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<[String: [String: String]], Error>?
        private let languages: [String]
        private let load: () throws -> CatalogProse

        init(languages: [String], _ load: @escaping () throws -> CatalogProse) {
            self.languages = languages
            self.load = load
        }

        /// Language → id → name.
        func names() throws -> [String: [String: String]] {
            lock.lock()
            defer { lock.unlock() }
            if result == nil {
                result = Result {
                    let prose = try load()
                    return Dictionary(uniqueKeysWithValues: languages.map { ($0, prose.names(in: $0)) })
                }
            }
            return try result!.get()
        }
    }
}
