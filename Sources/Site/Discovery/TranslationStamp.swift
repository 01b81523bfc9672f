import Foundation

extension TranslationStatus {
    /// Reads `content/` and reports every page pair, the catalog prose (`reference/`) included.
    public static func load(contentDirectory: URL) throws -> TranslationStatus {
        let root = SiteBuilder.displayPath(contentDirectory)
        let config = try SiteConfig.load(contentDirectory: contentDirectory, displayPath: "\(root)/\(SiteConfig.fileName)")
        let tree = try ContentTree.discover(contentDirectory: contentDirectory, displayRoot: root, config: config)
        guard tree.problems.isEmpty else { throw BuildFailure(tree.problems) }
        let prose = try CatalogProse.load(contentDirectory: contentDirectory, displayRoot: root, languages: config.languages.map(\.code),
                                           limits: config.limits)
        return TranslationStatus(pages: tree.pages + prose.pages, languages: config.languages.map(\.code))
    }

    /// Records, in the front matter of the translation at `path` (e.g. `content/en/dice.md`), the
    /// hash of its source page's current body: `source_hash: …`. Only that line changes.
    /// - Returns: the hash written.
    @discardableResult
    public static func stamp(_ path: String, contentDirectory: URL) throws -> String {
        let status = try load(contentDirectory: contentDirectory)
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let entry = status.entries.first(where: { URL(fileURLWithPath: $0.displayPath).standardizedFileURL.path == target }),
              entry.language != status.sourceLanguage, !entry.sourceHash.isEmpty else {
            throw Diagnostic(path, stage: .translations, "not a translation of a \(status.sourceLanguage) page",
                             hint: "give the path of a page in another language that has a \(status.sourceLanguage) source, e.g. content/en/…")
        }
        guard var text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Diagnostic(path, stage: .translations, "cannot read the file")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line = "source_hash: \(entry.sourceHash)"
        if lines.first == "---", let end = lines.dropFirst().firstIndex(where: { $0 == "---" }) {
            if let existing = lines[1..<end].firstIndex(where: { $0.hasPrefix("source_hash:") }) {
                lines[existing] = line
            } else {
                lines.insert(line, at: end)
            }
        } else {
            lines.insert(contentsOf: ["---", line, "---"], at: 0)
        }
        text = lines.joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return entry.sourceHash
    }
}
