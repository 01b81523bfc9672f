import Foundation

extension SiteBuilder {
    /// Stage 8: the files, copied assets, the theme's assets and KaTeX's stylesheet and fonts go
    /// into a staging folder that replaces the output folder only when everything is written.
    func write(_ files: [String: String], in site: DiscoveredSite) throws {
        let writer = try SiteWriter(output: options.outputDirectory)
        do {
            try writer.write(files)
            for asset in site.tree.assets {
                try writer.copy(asset.file, to: asset.outputPath)
            }
            // The built-in theme's assets, then the templates folder's, which replace them file by file.
            try writer.write(site.loaded.theme.builtInAssets)
            try writer.copy(options.templatesDirectory.appendingPathComponent("assets"), to: "assets")
            let katex = URL(fileURLWithPath: options.tools.katexDirectory)
            try writer.copy(katex.appendingPathComponent("katex.min.css"), to: "assets/katex/katex.min.css")
            // woff2 only: KaTeX's stylesheet lists it first, and every current browser reads it.
            let fonts = katex.appendingPathComponent("fonts")
            for font in ((try? FileManager.default.contentsOfDirectory(atPath: fonts.path)) ?? []).sorted() where font.hasSuffix(".woff2") {
                try writer.copy(fonts.appendingPathComponent(font), to: "assets/katex/fonts/\(font)")
            }
            try writer.commit()
        } catch {
            writer.discard()
            throw Diagnostic(Self.displayPath(options.outputDirectory), stage: .output, "cannot write the site: \(FileError.cause(error))")
        }
    }
}
