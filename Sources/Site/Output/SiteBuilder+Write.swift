import Foundation

extension SiteBuilder {
    /// Stage 8: the files, copied assets, the theme's assets and KaTeX's stylesheet and fonts go
    /// into a staging folder that replaces the output folder only when everything is written.
    func write(_ files: [String: String], in site: DiscoveredSite) throws {
        if let session = options.session {
            // `serve`: after its first build, only what changed is written (``SiteUpdater``).
            let last = session.written.flatMap { $0.output == BuildStamp.identity(of: options.outputDirectory) ? $0 : nil }
            if last == nil { try writeWhole(files, in: site) }
            var updater = SiteUpdater(output: options.outputDirectory, previous: last)
            do {
                try copy(files, in: site, into: &updater)
                updater.removeLeftovers()
            } catch {
                session.written = nil
                throw Diagnostic(Self.displayPath(options.outputDirectory), stage: .output, "cannot write the site: \(FileError.cause(error))")
            }
            session.written = SiteUpdater.Written(output: BuildStamp.identity(of: options.outputDirectory), files: updater.written)
            return
        }
        try writeWhole(files, in: site)
    }

    /// The files and assets, as `writeWhole` writes them, through a ``SiteUpdater``.
    func copy(_ files: [String: String], in site: DiscoveredSite, into updater: inout SiteUpdater) throws {
        try updater.write(files)
        for asset in site.tree.assets { try updater.copy(asset.file, to: asset.outputPath) }
        // The templates folder's assets replace the built-in ones: each path is written once.
        let own = options.templatesDirectory.appendingPathComponent("assets")
        let ownPaths = Set((FileManager.default.enumerator(atPath: own.path)?.allObjects as? [String] ?? []).map { "assets/" + $0 })
        for (path, text) in site.loaded.theme.builtInAssets.sorted(by: { $0.key < $1.key }) where !ownPaths.contains(path) {
            try updater.write(Data(text.utf8), to: path)
        }
        try updater.copy(own, to: "assets")
        let katex = URL(fileURLWithPath: options.tools.katexDirectory)
        try updater.copy(katex.appendingPathComponent("katex.min.css"), to: "assets/katex/katex.min.css")
        let fonts = katex.appendingPathComponent("fonts")
        for font in ((try? FileManager.default.contentsOfDirectory(atPath: fonts.path)) ?? []).sorted() where font.hasSuffix(".woff2") {
            try updater.copy(fonts.appendingPathComponent(font), to: "assets/katex/fonts/\(font)")
        }
    }

    /// The whole site into a staging folder, swapped in at the end.
    func writeWhole(_ files: [String: String], in site: DiscoveredSite) throws {
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
