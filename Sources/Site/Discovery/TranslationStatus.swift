/// How each page's translations stand against their source, the page in the first language.
///
/// A translation records the content hash of the source body it was translated from in its front
/// matter (`source_hash`); when the source changes, the translation is stale. Pages with no
/// counterpart in another language are reported too. These are warnings: the site still builds,
/// and shows a notice on a stale page.
public struct TranslationStatus: Sendable {
    public enum State: Sendable, Equatable {
        /// Translated from the current source.
        case current
        /// The source changed since (`recorded` is the hash the translation names).
        case stale(recorded: String)
        /// The translation names no source hash.
        case unstamped
        /// No page at this path in that language.
        case missing
    }

    public struct Entry: Sendable {
        /// The page's path under its language folder, e.g. `regression-losses.md`.
        public var path: String
        public var language: String
        public var state: State
        /// The source page's current hash, to record with `lossbook translations --stamp`.
        public var sourceHash: String
        public var displayPath: String
    }

    public var sourceLanguage: String
    public var entries: [Entry] { didSet { stale = Self.stale(in: entries) } }
    /// The stale translations, by language and path: the theme asks of every page (a scan of
    /// `entries` per page grew with pages², 2 % of a 4,000-pages-per-language rebuild).
    private var stale: Set<String> = []

    public init(pages: [SourcePage], languages: [String]) {
        sourceLanguage = languages.first ?? ""
        var byLanguage: [String: [String: SourcePage]] = [:]
        for page in pages where !page.generated { byLanguage[page.language, default: [:]][page.relativePath] = page }
        let paths = Set(byLanguage.values.flatMap(\.keys)).sorted()
        var entries: [Entry] = []
        for path in paths {
            let source = byLanguage[sourceLanguage]?[path]
            for language in languages where language != sourceLanguage {
                let translation = byLanguage[language]?[path]
                let state: State
                switch (source, translation) {
                case (nil, _?):
                    // A page that exists only in a translated language: its source is missing.
                    entries.append(Entry(path: path, language: sourceLanguage, state: .missing, sourceHash: "",
                                         displayPath: translation!.displayPath))
                    continue
                case (_?, nil): state = .missing
                case let (source?, translation?):
                    if let recorded = translation.frontMatter.sourceHash {
                        state = recorded == source.contentHash ? .current : .stale(recorded: recorded)
                    } else {
                        state = .unstamped
                    }
                default: continue
                }
                entries.append(Entry(path: path, language: language, state: state, sourceHash: source?.contentHash ?? "",
                                     displayPath: translation?.displayPath ?? source!.displayPath))
            }
        }
        self.entries = entries
        stale = Self.stale(in: entries)
    }

    /// Stale and one-language pages as warnings (unstamped translations are only listed by `lossbook translations`).
    public var warnings: [Diagnostic] {
        entries.compactMap { entry in
            switch entry.state {
            case .stale:
                var d = Diagnostic(entry.displayPath, stage: .translations,
                                   "translation is older than its \(sourceLanguage) source (the source changed since it was translated)",
                                   hint: "update it, then record the source with `lossbook translations --stamp \(entry.displayPath)`")
                d.isWarning = true
                return d
            case .missing where entry.path.hasPrefix(CatalogProse.folder + "/"):
                // Catalog prose: `CatalogProse.warnings` names the file to write instead.
                return nil
            case .missing:
                var d = Diagnostic(entry.displayPath, stage: .translations, "page exists in one language only (no \(entry.language) version)")
                d.isWarning = true
                return d
            default:
                return nil
            }
        }
    }

    public func isStale(language: String, path: String) -> Bool {
        stale.contains(language + "\u{1}" + path)
    }

    private static func stale(in entries: [Entry]) -> Set<String> {
        Set(entries.compactMap { entry in
            guard case .stale = entry.state else { return nil }
            return entry.language + "\u{1}" + entry.path
        })
    }
}
