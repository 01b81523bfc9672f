import Foundation

/// One markdown document to an HTML fragment through the site's own steps: what
/// `lossbook render` prints (for previews, editors and tests).
public enum Fragment {
    /// - Parameters:
    ///   - plain: no heading ids and no code decoration, so that a document without formulas
    ///     comes out exactly as plain cmark-gfm renders it.
    ///   - macros: KaTeX macros (the site's, from `content/lossbook.yaml`, when there is one).
    public static func render(_ markdown: String, path: String, plain: Bool, macros: [String: String] = [:],
                              tools: RenderTools = .fromEnvironment(), cacheDirectory: URL? = nil) throws -> String {
        let renderer = PageRenderer(options: .init(headingIDs: !plain, decorateCode: !plain))
        let draft = renderer.render(try renderer.parse(markdown, lineOffset: 0, path: path), path: path)
        var cache = RenderCache(cacheDirectory: cacheDirectory, fingerprint: tools.fingerprint(macros: macros))
        try cache.resolve(Set(draft.requests), tools: tools, macros: macros)
        cache.save()
        let (html, errors) = draft.typeset(with: cache, path: path)
        guard errors.isEmpty else { throw BuildFailure(errors) }
        return html.joined
    }

    /// The KaTeX macros of the site whose content folder is `contentDirectory`, if it has a configuration.
    public static func macros(contentDirectory: URL) throws -> [String: String] {
        let file = contentDirectory.appendingPathComponent(SiteConfig.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return [:] }
        return try SiteConfig.load(contentDirectory: contentDirectory, displayPath: SiteBuilder.displayPath(file)).macros
    }
}
