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
        guard let bytes = SiteFile.contents(of: path) else {
            throw Diagnostic(path, stage: .translations, "cannot read the file")
        }
        // As the build reads a note: a byte order mark, CRLF line endings and blanks after a fence
        // are the author's, and kept. (Read as a Swift string cut at "\n", a CRLF note was one line
        // with no front matter, and got a second front matter in front of its own.)
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let hasBOM = bytes.starts(with: bom)
        var lines = bytes.dropFirst(hasBOM ? bom.count : 0).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        func isFence(_ line: [UInt8], _ marks: [String]) -> Bool {
            var end = line.endIndex
            while end > 0, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(line[end - 1]) { end -= 1 }
            return marks.contains(String(decoding: line[..<end], as: UTF8.self))
        }
        let ending: [UInt8] = lines.first?.last == UInt8(ascii: "\r") ? [UInt8(ascii: "\r")] : []
        let line = Array("source_hash: \(entry.sourceHash)".utf8) + ending
        if let first = lines.first, isFence(first, ["---"]) {
            guard let end = lines.indices.dropFirst().first(where: { isFence(lines[$0], ["---", "..."]) }) else {
                throw Diagnostic(path, line: 1, column: 1, stage: .frontMatter, "front matter opened with '---' is never closed",
                                 hint: "end it with a line holding only '---'")
            }
            if let existing = lines[1..<end].firstIndex(where: { $0.starts(with: "source_hash:".utf8) }) {
                lines[existing] = line
            } else {
                lines.insert(line, at: end)
            }
        } else {
            lines.insert(contentsOf: [Array("---".utf8) + ending, line, Array("---".utf8) + ending], at: 0)
        }
        do {
            try SiteFile.rewrite(path, with: (hasBOM ? bom : []) + Array(lines.joined(separator: [UInt8(ascii: "\n")])))
        } catch {
            throw Diagnostic(path, stage: .translations, "cannot write the file: \(FileError.cause(error))")
        }
        return entry.sourceHash
    }
}
