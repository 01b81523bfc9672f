import Foundation

extension SiteBuilder {
    /// `--base-url` replaces `lossbook.yaml`'s `base_url`; a site with neither gets a warning,
    /// since `sitemap.xml` then lists paths search engines cannot use.
    mutating func applyBaseURL(to config: inout SiteConfig, displayPath: String) {
        if let override = options.baseURL {
            config.baseURL = override.hasSuffix("/") ? override : override + "/"
            config.hasBaseURL = true
            return
        }
        guard !config.hasBaseURL else { return }
        var warning = Diagnostic(displayPath, stage: .config, "no 'base_url': sitemap.xml will list URLs without the site's address",
                                 hint: "add 'base_url: https://example.org/notes/' to \(SiteConfig.fileName), or pass --base-url")
        warning.isWarning = true
        report.addWarnings([warning])
    }
}
