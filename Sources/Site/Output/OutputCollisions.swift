import Foundation

extension SiteBuilder {
    /// Every file the site writes must have a path no other file needs as a folder, and no two
    /// sources may write one path: a note whose `slug: nav.js` puts its page at `en/nav.js/index.html`
    /// where the theme writes the script `en/nav.js`, or a note's file `en/sitemap.xml`… Checked
    /// before anything is written, with both sides named, at the note's `slug:` line when a slug
    /// chose the path (otherwise the staging folder's write fails with a file-system error).
    func checkOutputCollisions(_ paths: Set<String>, in site: DiscoveredSite) throws {
        var sources: [String: String] = [:], lines: [String: Int] = [:]
        for page in site.pages {
            sources[page.outputPath] = page.displayPath
            lines[page.outputPath] = page.frontMatter.slugLine
        }
        func side(_ path: String) -> String { sources[path].map { "\($0) (\(path))" } ?? "the generated file \(path)" }
        var diagnostics: [Diagnostic] = []
        var written = paths
        for asset in site.tree.assets {
            let display = "\(site.loaded.contentRoot)/\(asset.outputPath)"
            if written.contains(asset.outputPath) {
                diagnostics.append(Diagnostic(display, stage: .output, "the file \(asset.outputPath) is also written by \(side(asset.outputPath))",
                                              hint: "rename or move the file"))
            }
            written.insert(asset.outputPath)
            sources[asset.outputPath] = display
        }
        // In the set's order, the paths in error sorted after (sorting all 8,000 paths of a
        // 2,000-page-per-language site for a list that is nearly always empty was a quarter of this check).
        var clashes: [(path: String, diagnostic: Diagnostic)] = []
        for path in written {
            var folder = Substring(path)
            while let parent = SitePath.parent(folder) {
                folder = parent
                guard written.contains(String(folder)) else { continue }
                let display = sources[path] ?? path
                clashes.append((path, Diagnostic(display, line: lines[path] ?? 1, stage: .output,
                                                 "output path \(path) needs a folder \(folder), which is \(side(String(folder)))",
                                                 hint: "change the file name or the 'slug' so that the two paths differ")))
                break
            }
        }
        diagnostics += clashes.sorted { $0.path < $1.path }.map(\.diagnostic)
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
    }
}
