import Foundation
import Losses
import Markdown
import Yams

/// The text of the loss catalog a reader reads, per language: loss names, parameter descriptions,
/// input conventions, gradients, peer notes, implementation notes and category names.
///
/// `Losses` holds only code (ids, categories, parameter specs, formulas, peer calls, citations);
/// the sentences live beside the notes, one file per loss and language, so a translator edits
/// text, not Swift, and a new language needs no Swift change:
///
/// ```
/// content/<lang>/reference/<id>.md     front matter: title, parameters (name → description),
///                                      peers (library, call, note), source_hash;
///                                      body: `## input`, `## gradient`, `## notes`, `## example`
///                                      sections (`example`: what the page's example shows of this
///                                      loss beyond the probe's caption; optional, like `notes`)
/// content/<lang>/reference/_catalog.md front matter: categories (id → name), parameters shared
///                                      by several losses (name → description), source_hash
/// ```
///
/// A loss's own `parameters:` entry wins over the shared one. The section headings are keys, not
/// titles (the page's headings come from `templates/strings.yaml`), so they stay in English in
/// every language. LaTeX is written as on any page: `$\partial \mathcal{L}$`.
///
/// A missing file or entry is a warning naming the file to write; the page then shows the source
/// language's text (the first language of `lossbook.yaml`) with a notice. An entry the catalog
/// does not know (loss, parameter, peer, category, section) is an error with its position.
/// Translations are tracked as notes are: each file is a `SourcePage` (`reference/<id>.md`)
/// whose hash covers the whole file except its `source_hash:` line.
public struct CatalogProse: Sendable {
    /// The folder under each language that holds catalog prose, not pages.
    public static let folder = "reference"
    /// The per-language file of category names and shared parameter descriptions.
    public static let sharedFile = "_catalog.md"
    /// Body sections of a loss file, in order.
    public static let sections = ["input", "gradient", "notes", "example"]
    /// Sections a loss may go without (required in a translation only where the source language has them).
    static let optionalSections: Set<String> = ["notes", "example"]

    /// One loss in one language, as its file gives it.
    struct Entry: Sendable {
        var title: String?
        var parameters: [String: String] = [:]
        /// `library call` → note.
        var peers: [String: String] = [:]
        var sections: [String: String] = [:]
    }

    /// What a language's `_catalog.md` gives.
    struct Shared: Sendable {
        var categories: [String: String] = [:]
        var parameters: [String: String] = [:]
    }

    /// What a reader can be shown for one loss.
    public enum Item: Hashable, Sendable {
        case title, input, gradient, notes, example
        case parameter(String)
        case peer(library: String, call: String)
    }

    /// A text and whether it came from the source language because this language lacks it.
    public struct Text: Sendable, Equatable {
        public var text: String
        public var isFallback: Bool
    }

    public let languages: [String]
    public var sourceLanguage: String { languages.first ?? "" }
    var entries: [String: [String: Entry]] = [:]
    var shared: [String: Shared] = [:]
    /// Every prose file of the site (not the compiled-in prose), as pages for `TranslationStatus` (never rendered).
    public private(set) var pages: [SourcePage] = []
    /// Missing files and entries, each naming the file to write.
    public private(set) var warnings: [Diagnostic] = []
    let displayRoot: String

    // MARK: - Looking up

    /// The text of `item` for loss `id` in `language`, else the source language's (a fallback), else
    /// the id for a title and nothing for the rest.
    public func text(_ item: Item, of id: String, in language: String) -> Text {
        if let text = lookup(item, of: id, in: language) { return Text(text: text, isFallback: false) }
        if language != sourceLanguage, let text = lookup(item, of: id, in: sourceLanguage) { return Text(text: text, isFallback: true) }
        if item == .title { return Text(text: id, isFallback: language != sourceLanguage) }
        return Text(text: "", isFallback: false)
    }

    /// A category's name in `language`, else the source language's, else its id.
    public func category(_ category: LossCategory, in language: String) -> Text {
        if let name = shared[language]?.categories[category.rawValue] { return Text(text: name, isFallback: false) }
        if let name = shared[sourceLanguage]?.categories[category.rawValue] { return Text(text: name, isFallback: true) }
        return Text(text: category.rawValue, isFallback: language != sourceLanguage)
    }

    /// Every loss's name in `language` (with fallbacks), by id: what executable blocks label losses with.
    public func names(in language: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Catalog.ids.map { ($0, text(.title, of: $0, in: language).text) })
    }

    private func lookup(_ item: Item, of id: String, in language: String) -> String? {
        let entry = entries[language]?[id]
        switch item {
        case .title: return entry?.title
        case .input: return entry?.sections["input"]
        case .gradient: return entry?.sections["gradient"]
        case .notes: return entry?.sections["notes"]
        case .example: return entry?.sections["example"]
        case let .parameter(name): return entry?.parameters[name] ?? shared[language]?.parameters[name]
        case let .peer(library, call): return entry?.peers[Self.peerKey(library, call)]
        }
    }

    static func peerKey(_ library: String, _ call: String) -> String { "\(library) \(call)" }

    /// `content/<lang>/reference/<file>` as diagnostics show it.
    public func displayPath(_ language: String, _ file: String) -> String {
        "\(displayRoot)/\(language)/\(Self.folder)/\(file)"
    }

    // MARK: - Loading

    /// Reads `content/<lang>/reference/` for every language of the site.
    /// - Parameter limits: the site's (`lossbook.yaml`'s `yaml_depth` and `yaml_nodes` bound each file's front matter).
    /// - Throws: a `BuildFailure` listing every unknown loss, parameter, peer, category, section or key.
    public static func load(contentDirectory: URL, displayRoot: String, languages: [String], limits: Limits = Limits()) throws -> CatalogProse {
        var prose = CatalogProse(languages: languages, displayRoot: displayRoot)
        let fm = FileManager.default
        // The files in order, listed first; then read and parsed concurrently, each on its own (one
        // after another they were a sixth of the CPU of a prose edit of this repository's content,
        // on one core); then put together in the listed order, so that mistakes are in it too.
        var listed: [(language: String, file: String, display: String, builtIn: String?, path: String)] = []
        for language in languages {
            let folder = contentDirectory.appendingPathComponent(language).appendingPathComponent(folder)
            var isFolder: ObjCBool = false
            // A site without the folder (one made by `lossbook init`, or outside this repository)
            // gets the prose compiled into the binary (this repository's); a site with it, its own.
            let builtIn = fm.fileExists(atPath: folder.path, isDirectory: &isFolder) ? nil : builtInFiles(language)
            let files = builtIn.map { $0.keys.sorted() }
                ?? ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            for file in files {
                let display = builtIn == nil ? prose.displayPath(language, file) : "lossbook:\(builtInFolder)/\(language)/\(Self.folder)/\(file)"
                listed.append((language, file, display, builtIn.map { $0[file] ?? "" }, folder.appendingPathComponent(file).path))
            }
        }
        enum Parsed { case shared(Shared), entry(Entry) }
        let files = listed
        let parsed = ConcurrentResults<Result<(Parsed, SourcePage?), Error>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let (language, file, display, builtIn, path) = files[index]
            parsed.set(index, Result {
                guard file.hasSuffix(".md") else {
                    throw Diagnostic(display, stage: .reference, "only catalog prose (<id>.md, \(sharedFile)) belongs in \(displayRoot)/\(language)/\(Self.folder)/",
                                     hint: "move other files elsewhere under \(displayRoot)/\(language)/")
                }
                guard let text = builtIn ?? FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                    throw Diagnostic(display, stage: .reference, "not valid UTF-8 text")
                }
                let id = String(file.dropLast(3))
                let made: Parsed
                if file == sharedFile {
                    made = .shared(try parseShared(text, path: display, limits: limits))
                } else {
                    guard Catalog.ids.contains(id) else {
                        throw Diagnostic(display, stage: .reference, "no loss '\(id)' in the catalog",
                                         hint: Catalog.closest(to: id, in: Catalog.ids).map { "did you mean \($0).md?" }
                                             ?? "name the file after a loss id (lossbook list)")
                    }
                    made = .entry(try parseEntry(text, id: id, path: display, limits: limits))
                }
                // The compiled-in prose is the binary's, not the site's: no translation to track.
                return (made, builtIn == nil ? page(text, language: language, file: file, display: display) : nil)
            })
        }
        var errors: [Diagnostic] = []
        for (index, listed) in files.enumerated() {
            switch parsed[index]! {
            case let .success((.shared(shared), page)):
                prose.shared[listed.language] = shared
                if let page { prose.pages.append(page) }
            case let .success((.entry(entry), page)):
                prose.entries[listed.language, default: [:]][String(listed.file.dropLast(3))] = entry
                if let page { prose.pages.append(page) }
            case let .failure(diagnostic as Diagnostic): errors.append(diagnostic)
            case let .failure(failure as BuildFailure): errors += failure.diagnostics
            case let .failure(error): throw error
            }
        }
        guard errors.isEmpty else { throw BuildFailure(errors) }
        prose.warnings = prose.missing()
        return prose
    }

    /// The folder of this repository whose `<lang>/reference/*.md` are compiled into the binary
    /// (`SourceFingerprintPlugin`), and how messages name it.
    static let builtInFolder = "content"

    /// The compiled-in prose of `language` (file name → text), nil when the binary has none for it.
    static func builtInFiles(_ language: String) -> [String: String]? {
        let prefix = "\(builtInFolder)/\(language)/\(folder)/"
        var files: [String: String] = [:]
        for (path, text) in CompiledSources.files where path.hasPrefix(prefix) { files[String(path.dropFirst(prefix.count))] = text }
        return files.isEmpty ? nil : files
    }

    /// The file as a page of its language, for translation tracking only.
    static func page(_ text: String, language: String, file: String, display: String) -> SourcePage {
        let lines = text.lines()
        let recorded = lines.first { $0.hasPrefix("source_hash:") }
            .map { String(Self.trimmingSpaces($0.dropFirst("source_hash:".count))) }
        var matter = FrontMatter()
        matter.sourceHash = recorded
        let hashed = lines.filter { !$0.hasPrefix("source_hash:") }.joined(separator: "\n")
        return SourcePage(language: language, relativePath: "\(folder)/\(file)", displayPath: display, frontMatter: matter,
                          body: "", bodyLineOffset: 0, contentHash: fnv1a64Hex(Array(hashed.utf8)))
    }

    /// Every file, parameter, peer and section the catalog needs and a language lacks.
    func missing() -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        func warn(_ path: String, _ message: String, hint: String) {
            var d = Diagnostic(path, stage: .reference, message, hint: hint)
            d.isWarning = true
            warnings.append(d)
        }
        for language in languages {
            let fallback = language == sourceLanguage ? "the page shows the id or nothing" : "the page shows the \(sourceLanguage) text"
            let sharedPath = displayPath(language, Self.sharedFile)
            if shared[language] == nil {
                warn(sharedPath, "no category names and shared parameter descriptions in \(language)",
                     hint: "write \(sharedPath)" + (language == sourceLanguage ? "" : " (translate \(displayPath(sourceLanguage, Self.sharedFile)))") + "; until then \(fallback)")
            } else {
                for category in LossCategory.allCases where shared[language]?.categories[category.rawValue] == nil {
                    warn(sharedPath, "no name for category '\(category.rawValue)'", hint: "add it under 'categories:'; until then \(fallback)")
                }
            }
            for d in Catalog.descriptors {
                let path = displayPath(language, "\(d.id).md")
                guard let entry = entries[language]?[d.id] else {
                    warn(path, "no \(language) text for loss '\(d.id)'",
                         hint: "write \(path)" + (language == sourceLanguage ? "" : " (translate \(displayPath(sourceLanguage, "\(d.id).md")))") + "; until then \(fallback)")
                    continue
                }
                var lacking: [String] = []
                if entry.title == nil { lacking.append("'title:'") }
                for p in d.parameters where entry.parameters[p.name] == nil && shared[language]?.parameters[p.name] == nil {
                    lacking.append("parameter '\(p.name)'")
                }
                for p in d.peers where entry.peers[Self.peerKey(p.library, p.call)] == nil { lacking.append("peer '\(p.call)'") }
                for section in Self.sections where entry.sections[section] == nil {
                    // Notes and example remarks are optional: missing only where the source language has them.
                    if Self.optionalSections.contains(section),
                       language == sourceLanguage || entries[sourceLanguage]?[d.id]?.sections[section] == nil { continue }
                    lacking.append("section '## \(section)'")
                }
                for item in lacking {
                    warn(path, "no \(item) for loss '\(d.id)'", hint: "add it to \(path)" + (item.hasPrefix("parameter") ? " or \(sharedPath)" : "") + "; until then \(fallback)")
                }
            }
        }
        return warnings
    }

    // MARK: - Parsing

    /// Splits `---` front matter from the body: (YAML, body, lines before the body).
    static func split(_ text: String, path: String) throws -> (yaml: String, body: String, bodyLineOffset: Int) {
        let lines = text.lines()
        guard lines.first == "---" else { return ("", text, 0) }
        guard let end = lines.dropFirst().firstIndex(of: "---") else {
            throw Diagnostic(path, stage: .reference, "front matter opened with '---' is never closed", hint: "end it with a line holding only '---'")
        }
        return (lines[1..<end].joined(separator: "\n"), lines[(end + 1)...].joined(separator: "\n"), end + 1)
    }

    static func parseEntry(_ text: String, id: String, path: String, limits: Limits = Limits()) throws -> Entry {
        let descriptor = try Catalog.descriptor(for: id)
        let (yaml, body, offset) = try split(text, path: path)
        let reader = YAMLReader(path: path, lineOffset: 1, stage: .reference, limits: limits)
        var entry = Entry()
        for (key, keyNode, value) in try reader.mapping(yaml) {
            switch key {
            case "title": entry.title = try reader.string(value, key)
            case "source_hash": _ = try reader.string(value, key)
            case "parameters":
                let names = descriptor.parameters.map(\.name)
                for (name, nameNode, description) in try reader.pairs(value) {
                    guard names.contains(name) else {
                        throw reader.diagnostic(nameNode, "loss '\(id)' has no parameter '\(name)'",
                                                hint: Catalog.closest(to: name, in: names).map { "did you mean '\($0)'?" } ?? "its parameters: \(names.joined(separator: ", "))")
                    }
                    entry.parameters[name] = try reader.string(description, name)
                }
            case "peers":
                guard case let .sequence(items) = value else { throw reader.diagnostic(value, "'peers' must be a list of library, call and note") }
                let calls = descriptor.peers.map(\.call)
                for item in items {
                    var fields: [String: (String, Node)] = [:]
                    for (field, fieldNode, fieldValue) in try reader.pairs(item) {
                        guard ["library", "call", "note"].contains(field) else {
                            throw reader.unknownKey(fieldNode, field, known: ["library", "call", "note"])
                        }
                        fields[field] = (try reader.string(fieldValue, field), fieldValue)
                    }
                    guard let library = fields["library"], let call = fields["call"], let note = fields["note"] else {
                        throw reader.diagnostic(item, "a peer needs 'library', 'call' and 'note'")
                    }
                    guard descriptor.peers.contains(where: { $0.library == library.0 && $0.call == call.0 }) else {
                        throw reader.diagnostic(call.1, "loss '\(id)' has no peer '\(library.0)' '\(call.0)'",
                                                hint: Catalog.closest(to: call.0, in: calls).map { "did you mean '\($0)'?" }
                                                    ?? (calls.isEmpty ? "it has no peers" : "its peers: \(calls.joined(separator: "; "))"))
                    }
                    entry.peers[peerKey(library.0, call.0)] = note.0
                }
            default: throw reader.unknownKey(keyNode, key, known: ["title", "parameters", "peers", "source_hash"])
            }
        }
        entry.sections = try sections(body, lineOffset: offset, path: path)
        return entry
    }

    /// `## input`, `## gradient`, `## notes`: each section's text, without the blank lines around it.
    static func sections(_ body: String, lineOffset: Int, path: String) throws -> [String: String] {
        var sections: [String: [Substring]] = [:]
        var current: String?
        for (index, line) in body.lines().enumerated() {
            if line.hasPrefix("## ") {
                let name = String(Self.trimmingSpaces(line.dropFirst(3)))
                guard Self.sections.contains(name) else {
                    throw Diagnostic(path, line: index + 1 + lineOffset, column: 4, stage: .reference, "unknown section '## \(name)'",
                                     hint: Catalog.closest(to: name, in: Self.sections).map { "did you mean '## \($0)'?" }
                                         ?? "sections are \(Self.sections.map { "'## \($0)'" }.joined(separator: ", "))")
                }
                guard sections[name] == nil else {
                    throw Diagnostic(path, line: index + 1 + lineOffset, column: 1, stage: .reference, "section '## \(name)' appears twice")
                }
                current = name
                sections[name] = []
            } else if let current {
                sections[current]!.append(line)
            } else if !Self.trimmingSpaces(line).isEmpty {
                throw Diagnostic(path, line: index + 1 + lineOffset, column: 1, stage: .reference, "text outside a section",
                                 hint: "put it under \(Self.sections.map { "'## \($0)'" }.joined(separator: ", "))")
            }
        }
        return sections.mapValues { lines in
            var lines = lines
            while lines.first.map({ Self.trimmingSpaces($0).isEmpty }) == true { lines.removeFirst() }
            while lines.last.map({ Self.trimmingSpaces($0).isEmpty }) == true { lines.removeLast() }
            return lines.joined(separator: "\n")
        }
    }

    /// `line` without the characters of `CharacterSet.whitespaces` around it, as a slice of it:
    /// Foundation's `trimmingCharacters(in:)` on a line of a file bridged the whole file to an
    /// `NSString` first, which made trimming each section's lines a twentieth of the CPU of a prose
    /// edit of this repository's content.
    static func trimmingSpaces(_ line: Substring) -> Substring {
        let spaces = CharacterSet.whitespaces
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { spaces.contains(scalar) }
        let scalars = line.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else {
            return line[line.endIndex...]
        }
        return Substring(scalars[first...last])
    }

    static func parseShared(_ text: String, path: String, limits: Limits = Limits()) throws -> Shared {
        let (yaml, body, offset) = try split(text, path: path)
        if let extra = body.lines().firstIndex(where: { !Self.trimmingSpaces($0).isEmpty }) {
            throw Diagnostic(path, line: offset + extra + 1, column: 1, stage: .reference, "\(sharedFile) holds only front matter",
                             hint: "move this text into a loss's file")
        }
        let reader = YAMLReader(path: path, lineOffset: 1, stage: .reference, limits: limits)
        var shared = Shared()
        let categories = LossCategory.allCases.map(\.rawValue)
        let parameters = Array(Set(Catalog.descriptors.flatMap { $0.parameters.map(\.name) })).sorted()
        for (key, keyNode, value) in try reader.mapping(yaml) {
            switch key {
            case "source_hash": _ = try reader.string(value, key)
            case "categories":
                for (name, nameNode, text) in try reader.pairs(value) {
                    guard categories.contains(name) else {
                        throw reader.diagnostic(nameNode, "no category '\(name)'",
                                                hint: Catalog.closest(to: name, in: categories).map { "did you mean '\($0)'?" } ?? "categories: \(categories.joined(separator: ", "))")
                    }
                    shared.categories[name] = try reader.string(text, name)
                }
            case "parameters":
                for (name, nameNode, text) in try reader.pairs(value) {
                    guard parameters.contains(name) else {
                        throw reader.diagnostic(nameNode, "no loss has a parameter '\(name)'",
                                                hint: Catalog.closest(to: name, in: parameters).map { "did you mean '\($0)'?" } ?? "see lossbook list")
                    }
                    shared.parameters[name] = try reader.string(text, name)
                }
            default: throw reader.unknownKey(keyNode, key, known: ["categories", "parameters", "source_hash"])
            }
        }
        return shared
    }
}


extension CatalogProse {
    /// The prose as ``KeptBetweenBuilds`` keeps it (``stored``), read back by ``init(compact:)``:
    /// every text as four strings (what it is, its language, its loss or category, its name) and the
    /// text, not the dictionaries themselves, which `Decodable` read through its generic path (a
    /// type looked up by name at each value: a tenth of the CPU of a prose edit of this
    /// repository's content).
    struct Stored: Encodable {
        var languages: [String]
        var displayRoot: String
        /// Five strings a text: ``Kind``'s raw value, language, loss id (or ""), name (or ""), text.
        var texts: [String]
        var pages: [SourcePage]
        var warnings: [Diagnostic]
    }

    /// What a text of ``Stored/texts`` is. An entry and a language's shared file are recorded even
    /// when they hold nothing, as the dictionaries hold them.
    private enum Kind: String {
        case entry = "e", title = "t", parameter = "p", peer = "r", section = "s"
        case shared = "h", category = "c", sharedParameter = "q"
    }

    var stored: Stored {
        var texts: [String] = []
        func add(_ kind: Kind, _ language: String, _ id: String, _ name: String, _ text: String) {
            texts += [kind.rawValue, language, id, name, text]
        }
        for (language, losses) in entries.sorted(by: { $0.key < $1.key }) {
            for (id, entry) in losses.sorted(by: { $0.key < $1.key }) {
                add(.entry, language, id, "", "")
                if let title = entry.title { add(.title, language, id, "", title) }
                for (name, text) in entry.parameters.sorted(by: { $0.key < $1.key }) { add(.parameter, language, id, name, text) }
                for (name, text) in entry.peers.sorted(by: { $0.key < $1.key }) { add(.peer, language, id, name, text) }
                for (name, text) in entry.sections.sorted(by: { $0.key < $1.key }) { add(.section, language, id, name, text) }
            }
        }
        for (language, shared) in self.shared.sorted(by: { $0.key < $1.key }) {
            add(.shared, language, "", "", "")
            for (name, text) in shared.categories.sorted(by: { $0.key < $1.key }) { add(.category, language, "", name, text) }
            for (name, text) in shared.parameters.sorted(by: { $0.key < $1.key }) { add(.sharedParameter, language, "", name, text) }
        }
        return Stored(languages: languages, displayRoot: displayRoot, texts: texts, pages: pages, warnings: warnings)
    }

    /// The prose of a ``Stored`` as ``CompactCoding`` wrote it.
    init(compact reader: inout CompactReader) throws {
        self = try reader.keyed { reader in
            try reader.key("languages"); let languages = try reader.array { try $0.string() }
            try reader.key("displayRoot"); let displayRoot = try reader.string()
            try reader.key("texts"); let texts = try reader.array { try $0.string() }
            try reader.key("pages"); let pages = try reader.array { try SourcePage(compact: &$0) }
            try reader.key("warnings"); let warnings = try Diagnostic.array(compact: &reader)
            var prose = CatalogProse(languages: languages, displayRoot: displayRoot)
            guard texts.count % 5 == 0 else { throw CompactReader.Corrupt(offset: reader.offset, why: "\(texts.count) strings, not five a text") }
            for start in stride(from: 0, to: texts.count, by: 5) {
                let (language, id, name, text) = (texts[start + 1], texts[start + 2], texts[start + 3], texts[start + 4])
                switch Kind(rawValue: texts[start]) {
                case .entry?: if prose.entries[language]?[id] == nil { prose.entries[language, default: [:]][id] = Entry() }
                case .title?: prose.entries[language, default: [:]][id, default: Entry()].title = text
                case .parameter?: prose.entries[language, default: [:]][id, default: Entry()].parameters[name] = text
                case .peer?: prose.entries[language, default: [:]][id, default: Entry()].peers[name] = text
                case .section?: prose.entries[language, default: [:]][id, default: Entry()].sections[name] = text
                case .shared?: prose.shared[language] = prose.shared[language] ?? Shared()
                case .category?: prose.shared[language, default: Shared()].categories[name] = text
                case .sharedParameter?: prose.shared[language, default: Shared()].parameters[name] = text
                case nil: throw CompactReader.Corrupt(offset: reader.offset, why: "no kind of text '\(texts[start])'")
                }
            }
            prose.pages = pages
            prose.warnings = warnings
            return prose
        }
    }
}
