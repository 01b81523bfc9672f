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
        let requests = try renderer.requests(markdown: markdown, lineOffset: 0, path: path)
        var cache = RenderCache(file: cacheDirectory?.appendingPathComponent("render-cache.json"),
                                fingerprint: tools.fingerprint(macros: macros))
        try cache.resolve(requests, tools: tools, macros: macros)
        cache.save()
        return try renderer.render(markdown: markdown, lineOffset: 0, path: path, cache: cache).html
    }

    /// The KaTeX macros of the site whose content folder is `contentDirectory`, if it has a configuration.
    public static func macros(contentDirectory: URL) throws -> [String: String] {
        let file = contentDirectory.appendingPathComponent(SiteConfig.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return [:] }
        return try SiteConfig.load(contentDirectory: contentDirectory, displayPath: SiteBuilder.displayPath(file)).macros
    }
}
