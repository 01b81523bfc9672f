import Foundation

extension SiteBuilder {
    /// Stage 7: pages into the theme, with navigation, the language chooser, the 404 page,
    /// the search index and `sitemap.xml`: every output file's path and text.
    func assemble(_ pages: [RenderedPage], in site: DiscoveredSite) -> [String: String] {
        SiteAssembler(config: site.loaded.config, theme: site.loaded.theme, pages: pages, translations: site.translations).files()
    }
}
