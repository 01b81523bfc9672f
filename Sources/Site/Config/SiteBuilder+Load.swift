import Foundation

extension SiteBuilder {
    /// What every later stage reads: configuration, theme, and the loss library's sources.
    struct LoadedSite: Sendable {
        var config: SiteConfig
        var theme: Theme
        /// The content folder as the user names it, for messages.
        var contentRoot: String
        var sources: LossSources
        var referenceFingerprint: String
    }

    /// Stage 1: `content/lossbook.yaml`, `templates/`, and the sources the execution cache is keyed by.
    func load() throws -> LoadedSite {
        let contentRoot = Self.displayPath(options.contentDirectory)
        let config = try SiteConfig.load(contentDirectory: options.contentDirectory,
                                         displayPath: "\(contentRoot)/\(SiteConfig.fileName)")
        let theme = try Theme.load(directory: options.templatesDirectory, displayRoot: Self.displayPath(options.templatesDirectory),
                                   languages: config.languages.map(\.code))
        return LoadedSite(config: config, theme: theme, contentRoot: contentRoot,
                          sources: LossSources.load(directory: options.lossSources),
                          referenceFingerprint: LossSources.load(directory: options.referenceSources).fingerprint)
    }
}
