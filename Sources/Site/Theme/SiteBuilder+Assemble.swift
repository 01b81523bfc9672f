import Foundation

extension SiteBuilder {
    /// Stage 7: pages into the theme, with navigation, the language chooser, the 404 page,
    /// the search index, `sitemap.xml` (with each note's last commit date) and each language's
    /// Atom feed of recently changed notes: every output file's path and text.
    func assemble(_ pages: [RenderedPage], in site: DiscoveredSite) -> SiteOutput {
        let content = options.contentDirectory
        let dates = gitDatesAhead?.value
            ?? options.session?.gitDates(in: content) { GitDates.lastModified(in: content) } ?? GitDates.lastModified(in: content)
        var assembler = SiteAssembler(config: site.loaded.config, theme: site.loaded.theme, pages: pages, translations: site.translations,
                                      lastModified: dates, session: options.session)
        assembler.assembledPages = assembledPages
        assembler.output = OutputSafety.resolvedOutput(options.outputDirectory).path
        var output = assembler.files()
        for (path, feed) in assembler.feeds(lastModified: dates) where output.texts[path] == nil && output.pages[path] == nil && !output.kept.contains(path) {
            output.texts[path] = feed
        }
        return output
    }
}
