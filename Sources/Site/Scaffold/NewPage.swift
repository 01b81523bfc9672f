import Foundation

/// `lossbook new PATH.md`: the page in every language of the site (`content/<lang>/PATH.md`),
/// with a title to replace; the translations' `source_hash` records the new source page.
public enum NewPage {
    /// - Returns: the files written, as the user would type them.
    @discardableResult
    public static func create(_ path: String, contentDirectory: URL) throws -> [String] {
        let root = SiteBuilder.displayPath(contentDirectory)
        let config = try SiteConfig.load(contentDirectory: contentDirectory, displayPath: "\(root)/\(SiteConfig.fileName)")
        let relative = path.hasSuffix(".md") ? path : path + ".md"
        // Cut at `/` bytes, as the build cuts paths; empty parts kept, to refuse `a//b.md`.
        let parts = SitePath.parts(relative, keepingEmpty: true)
        guard !relative.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw Diagnostic(path, stage: .discovery, "give a path inside each language folder, e.g. losses/dice.md")
        }
        // A name the build skips (hidden, an editor's backup, or nothing before `.md`) would make
        // pages that are never built.
        if let skipped = parts.first(where: { ContentTree.isIgnored(String($0)) || $0 == ".md" }) {
            throw Diagnostic(path, stage: .discovery, "'\(skipped)' is a name the build skips (hidden, a backup, or no name before .md)",
                             hint: "give the page a name, e.g. losses/dice.md")
        }
        if parts.count > 1, parts[0] == Substring(CatalogProse.folder) {
            throw Diagnostic(path, stage: .discovery, "'\(CatalogProse.folder)/' holds the catalog prose of the loss reference pages, not pages",
                             hint: "choose another folder, e.g. losses/\(parts.dropFirst().joined(separator: "/"))")
        }
        if let code = config.languages.first(where: { relative.hasPrefix($0.code + "/") })?.code {
            throw Diagnostic(path, stage: .discovery, "give the path without the language folder",
                             hint: "the page is created in every language: \(relative.dropFirst(code.count + 1))")
        }
        let targets = config.languages.map { contentDirectory.appendingPathComponent("\($0.code)/\(relative)") }
        for target in targets where FileManager.default.fileExists(atPath: target.path) {
            throw Diagnostic(SiteBuilder.displayPath(target), stage: .discovery, "the page exists already")
        }
        let name = (relative as NSString).deletingPathExtension.split(separator: "/").last.map(String.init) ?? relative
        for (language, target) in zip(config.languages, targets) {
            let title = language.code == "zh" ? "标题：\(name)" : "Title: \(name)"
            do {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                // A double-quoted YAML scalar: a `"` or `\` of the file name escaped.
                let quoted = title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                try "---\ntitle: \"\(quoted)\"\n---\n\n".write(to: target, atomically: true, encoding: .utf8)
            } catch {
                throw Diagnostic(SiteBuilder.displayPath(target), stage: .output, "cannot write: \(FileError.cause(error))")
            }
        }
        for target in targets.dropFirst() { try TranslationStatus.stamp(target.path, contentDirectory: contentDirectory) }
        return targets.map { SiteBuilder.displayPath($0) }
    }
}
