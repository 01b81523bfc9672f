import Foundation

extension SiteAssembler {
    /// How many pages a language's feed lists, most recently changed first.
    static let feedLength = 20

    /// `<lang>/feed.xml` for each language: an Atom feed of its most recently changed notes (by
    /// their last commit). None without dates (a site outside git, or no note committed).
    func feeds(lastModified: [String: String]) -> [String: String] {
        var files: [String: String] = [:]
        // No dates, no feed: no page's path is made absolute to look one up.
        guard !lastModified.isEmpty else { return files }
        for language in config.languages {
            let dated = pages.filter { $0.source.language == language.code && !$0.source.generated }
                .compactMap { page in lastModified[Self.absolutePath(page.source.displayPath)].map { (page, $0) } }
                .sorted { ($0.1, $1.0.source.outputPath) > ($1.1, $0.0.source.outputPath) }
                .prefix(Self.feedLength)
            guard let updated = dated.first?.1 else { continue }
            let home = config.baseURL + language.code + "/"
            var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(escapeHTML(language.htmlLang))\">\n"
            xml += "  <title>\(escapeHTML(language.title))</title>\n"
            if !language.description.isEmpty { xml += "  <subtitle>\(escapeHTML(language.description))</subtitle>\n" }
            xml += "  <id>\(escapeHTML(home))</id>\n  <link href=\"\(escapeHTML(home))\"/>\n"
            xml += "  <link rel=\"self\" href=\"\(escapeHTML(home))feed.xml\"/>\n  <updated>\(updated)</updated>\n"
            xml += "  <author><name>\(escapeHTML(language.title))</name></author>\n"
            for (page, date) in dated {
                let url = escapeHTML(config.baseURL + URLPath.encode(page.source.outputPath.dropLast("index.html".count)))
                xml += "  <entry>\n    <title>\(escapeHTML(page.title))</title>\n    <id>\(url)</id>\n"
                xml += "    <link href=\"\(url)\"/>\n    <updated>\(date)</updated>\n"
                if let summary = page.source.frontMatter.description, !summary.isEmpty {
                    xml += "    <summary>\(escapeHTML(summary))</summary>\n"
                }
                xml += "  </entry>\n"
            }
            files["\(language.code)/feed.xml"] = xml + "</feed>\n"
        }
        return files
    }

    /// A page's file as `GitDates` keys it. Said to be a file (`isDirectory: false`): otherwise
    /// `URL` asks the disk with a `stat` per page (8,000 of them for the sitemap and the feeds
    /// of a site of 2,000 pages per language), and `.path` is the same either way.
    static func absolutePath(_ displayPath: String) -> String {
        URL(fileURLWithPath: displayPath, isDirectory: false).standardizedFileURL.path
    }
}
