import Foundation

/// Where the write stage puts the site's files: ``SiteWriter`` (all of them, staged, then swapped
/// in) or ``SiteUpdater`` (in place, only what changed since the last build of a `serve` session).
protocol SiteSink {
    mutating func write(_ files: [String: String]) throws
    /// Pages and site-wide files, as the slices or bytes their files are made of (``PageFile``; by
    /// default joined and written as texts).
    mutating func write(_ pages: [String: PageFile]) throws
    mutating func write(_ data: Data, to path: String) throws
    /// A file, or a folder's files recursively (see ``SiteFiles/forEachFile(in:at:_:)``).
    mutating func copy(_ source: URL, to path: String) throws
    /// Files the previous site holds as they must be (``AssembledPages``), kept without their bytes.
    mutating func keep(_ paths: Set<String>) throws
}

extension SiteSink {
    mutating func write(_ pages: [String: PageFile]) throws {
        try write(pages.mapValues(\.text))
    }

    /// Only ``SiteWriter`` keeps files: the sessions that write in place never have kept ones.
    mutating func keep(_ paths: Set<String>) throws {
        guard paths.isEmpty else { throw Diagnostic(paths.sorted()[0], stage: .output, "cannot keep this page from the previous site here") }
    }
}

extension SiteBuilder {
    /// Stage 8: the files, copied assets, the theme's assets and KaTeX's stylesheet and fonts go
    /// into a staging folder that replaces the output folder only when everything is written.
    /// In a `serve` session, after its first build, only what changed is written, in place.
    func write(_ files: SiteOutput, in site: DiscoveredSite) throws {
        try checkOutputCollisions(files.paths, in: site)
        // A `build` writes whole (unchanged files hard-linked), its session kept or not.
        guard let session = options.session, pageMemo == nil else { return try writeWhole(files, in: site) }
        let last = session.written.flatMap { $0.output == BuildStamp.identity(of: options.outputDirectory) ? $0 : nil }
        // The first build (or one after the folder was replaced) writes everything; the updater
        // then only notes what was written, for the next build to compare with.
        if last == nil { try writeWhole(files, in: site) }
        var updater = SiteUpdater(output: options.outputDirectory, previous: last)
        do {
            try emit(files, in: site, into: &updater)
            updater.removeLeftovers()
        } catch {
            session.written = nil
            throw Self.writeFailure(error, output: options.outputDirectory)
        }
        session.written = SiteUpdater.Written(output: BuildStamp.identity(of: options.outputDirectory), files: updater.written, texts: updater.writtenTexts)
    }

    /// Everything the site holds, into `sink`, each path once: the pages and generated files, the
    /// notes' files, the theme's assets (the templates folder's replacing the built-in ones file by
    /// file), and KaTeX's stylesheet and woff2 fonts.
    func emit(_ files: SiteOutput, in site: DiscoveredSite, into sink: inout some SiteSink) throws {
        try sink.write(files.texts)
        try sink.write(files.pages)
        try sink.keep(files.kept)
        for asset in site.tree.assets { try sink.copy(asset.file, to: asset.outputPath) }
        let own = options.templatesDirectory.appendingPathComponent("assets")
        var ownPaths: Set<String> = []
        try SiteFiles.forEachFile(in: own, at: "assets") { _, path in ownPaths.insert(path) }
        for (path, text) in site.loaded.theme.builtInAssets.sorted(by: { $0.key < $1.key }) where !ownPaths.contains(path) {
            try sink.write(Data(text.utf8), to: path)
        }
        try sink.copy(own, to: "assets")
        let katex = URL(fileURLWithPath: options.tools.katexDirectory)
        try sink.copy(katex.appendingPathComponent("katex.min.css"), to: "assets/katex/katex.min.css")
        // woff2 only: KaTeX's stylesheet lists it first, and every current browser reads it.
        let fonts = katex.appendingPathComponent("fonts")
        for font in ((try? FileManager.default.contentsOfDirectory(atPath: fonts.path)) ?? []).sorted() where font.hasSuffix(".woff2") {
            try sink.copy(fonts.appendingPathComponent(font), to: "assets/katex/fonts/\(font)")
        }
    }

    /// The whole site into a staging folder, swapped in at the end.
    /// With a cache folder, the site this one replaces is kept there as the next build's staging
    /// folder (``SiteWriter``'s spare); a spare that cannot take the new site (a file where a
    /// folder must go) is dropped and the site written into a fresh folder.
    func writeWhole(_ files: SiteOutput, in site: DiscoveredSite) throws {
        let spare = options.cacheDirectory?.appendingPathComponent(SiteWriter.spareName)
        var writer = try SiteWriter(output: options.outputDirectory, spare: spare, early: spareWalk)
        writer.vouched = vouchedFiles
        do {
            try emit(files, in: site, into: &writer)
            try writer.commit()
        } catch {
            writer.discard()
            if writer.reusesSpare { return try writeFresh(files, in: site, spare: spare) }
            throw Self.writeFailure(error, output: options.outputDirectory)
        }
    }

    private func writeFresh(_ files: SiteOutput, in site: DiscoveredSite, spare: URL?) throws {
        var writer = try SiteWriter(output: options.outputDirectory, spare: spare, claimingSpare: false)
        writer.vouched = vouchedFiles
        do {
            try emit(files, in: site, into: &writer)
            try writer.commit()
        } catch {
            writer.discard()
            throw Self.writeFailure(error, output: options.outputDirectory)
        }
    }

    /// The previous site's files the theme stage found unchanged (``AssembledPages/keptFile(_:)``).
    private var vouchedFiles: (@Sendable (String) -> (device: UInt64, inode: UInt64)?)? {
        guard let pages = assembledPages else { return nil }
        return { pages.keptFile($0) }
    }

    /// A failure of the write stage as one line: a source that cannot be copied (``SiteFiles``)
    /// at its own path, anything else at the output folder, with its cause.
    static func writeFailure(_ error: Error, output: URL) -> Diagnostic {
        if let diagnostic = error as? Diagnostic { return diagnostic }
        return Diagnostic(displayPath(output), stage: .output, "cannot write the site: \(FileError.cause(error))")
    }
}

/// Walking the folders a site copies.
enum SiteFiles {
    /// Calls `body` with every file under `source` (or `source` itself when it is a file) and its
    /// path in the site under `path`: links followed, ignored names (editor backups, hidden
    /// files) skipped, a folder that contains itself refused. A missing `source` has no files.
    /// - Parameter project: when given (a real path), a link that leads out of it is refused,
    ///   as in `content/` (``SourceFiles``): the theme's `assets/` may not publish `/etc/passwd`.
    static func forEachFile(in source: URL, at path: String, inside project: String? = nil,
                            _ body: (URL, String) throws -> Void) throws {
        var ancestors: Set<String> = []
        try walk(source, path, project, &ancestors, body)
    }

    private static func walk(_ source: URL, _ path: String, _ project: String?, _ ancestors: inout Set<String>,
                             _ body: (URL, String) throws -> Void) throws {
        let fm = FileManager.default
        let resolved = source.resolvingSymlinksInPath()
        if let project, let outside = SourceFiles.outside(source.path, project: project) {
            throw SourceFiles.leaving(SiteBuilder.displayPath(source), to: outside, project: project)
        }
        var info = stat()
        guard stat(resolved.path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return try body(resolved, path)
        case S_IFDIR: break
        default:
            // Reading a FIFO would wait for a writer; a device may never end.
            throw Diagnostic(SiteBuilder.displayPath(source), stage: .output, "not a file or folder (a FIFO, socket or device)",
                             hint: "remove it, or put the file it stands for in its place")
        }
        guard ancestors.insert(resolved.path).inserted else {
            throw Diagnostic(SiteBuilder.displayPath(source), stage: .output, "symlink cycle: this folder contains itself",
                             hint: "remove the link that points back to \(SiteBuilder.displayPath(resolved))")
        }
        defer { ancestors.remove(resolved.path) }
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: resolved.path)
        } catch {
            throw Diagnostic(SiteBuilder.displayPath(source), stage: .output, "cannot read this folder: \(FileError.cause(error))")
        }
        for name in names.sorted() where !ContentTree.isIgnored(name) {
            try walk(resolved.appendingPathComponent(name), "\(path)/\(name)", project, &ancestors, body)
        }
    }

    /// The bytes of a file ``forEachFile(in:at:_:)`` found; a file that cannot be read is an
    /// error at its own path (it was the output folder's "cannot write the site").
    static func read(_ file: URL) throws -> Data {
        do {
            return try Data(contentsOf: file)
        } catch {
            throw Diagnostic(SiteBuilder.displayPath(file), stage: .output, "cannot read: \(FileError.cause(error))")
        }
    }
}
