import Foundation

/// Decides whether a folder may receive (and so be replaced by) a site, before a build starts.
///
/// A build replaces its output whole. So the output must never be the project (the folder
/// holding `content/`), `content/`, `templates/`, a folder containing one of them or inside
/// one of them (a site inside `content/` would be read back as notes and assets by the next
/// build), nor a folder holding anything but an earlier site: an existing non-empty output
/// must carry lossbook's marker, or look like a site written by a lossbook that predates it.
enum OutputSafety {
    /// Written into every site: an empty folder, so that it adds no file to the site.
    static let marker = ".lossbook-site"

    /// The folder that is actually replaced: a symlinked output is followed, so the link stays.
    static func resolvedOutput(_ output: URL) -> URL {
        let standardized = output.standardizedFileURL
        let parent = realPath(standardized.deletingLastPathComponent())
        let candidate = parent.appendingPathComponent(standardized.lastPathComponent)
        // `lstat`, not `FileManager.destinationOfSymbolicLink` (100,000 instructions a call, six a build).
        var info = stat()
        if lstat(candidate.path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            return realPath(candidate)
        }
        return candidate
    }

    /// `url` with every symlink of its existing part resolved.
    static func realPath(_ url: URL) -> URL {
        guard let resolved = realpath(url.path, nil) else { return url.standardizedFileURL }
        defer { free(resolved) }
        return URL(fileURLWithPath: String(cString: resolved), isDirectory: true)
    }

    /// Throws one diagnostic when `output` may not be written; touches nothing.
    static func check(output: URL, content: URL, templates: URL) throws {
        let display = SiteBuilder.displayPath(output)
        let target = resolvedOutput(output).path
        let content = realPath(content).path
        let templates = realPath(templates).path
        let project = (content as NSString).deletingLastPathComponent
        func refuse(_ message: String, hint: String = "choose another --output, e.g. the default 'site'") -> Diagnostic {
            Diagnostic(display, stage: .output, message, hint: hint)
        }
        func inside(_ path: String, _ folder: String) -> Bool { PathBytes.isInside(path, folder) }
        let named = [(project, "the project folder (it holds \(SiteBuilder.displayPath(URL(fileURLWithPath: content))))"),
                     (content, "the content folder"), (templates, "the templates folder")]
        for (folder, name) in named {
            if PathBytes.equal(target, folder) { throw refuse("refusing to write the site over \(name): a build replaces its output whole") }
            if inside(folder, target) { throw refuse("refusing to write the site here: this folder contains \(name)") }
        }
        for (folder, name) in named.dropFirst() where inside(target, folder) {
            throw refuse("refusing to write the site inside \(name): the next build would read it back")
        }

        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: target, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw refuse("the output exists and is not a folder") }
        let entries = (try? fm.contentsOfDirectory(atPath: target)) ?? []
        if entries.isEmpty || entries.contains(marker) { return }
        if looksLikeEarlierSite(target, entries: entries) { return }
        throw refuse("refusing to replace a folder that lossbook did not write (it has no \(marker) marker and is not empty)",
                     hint: "choose an empty or new folder for --output, or remove this one yourself")
    }

    /// A site from before the marker: `index.html` and `assets/` at the top, and nothing that
    /// is a source of one (notes, templates, a repository, a Swift package).
    static func looksLikeEarlierSite(_ path: String, entries: [String]) -> Bool {
        var isDirectory: ObjCBool = false
        guard entries.contains("index.html"),
              FileManager.default.fileExists(atPath: path + "/assets", isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        let sources: Set<String> = ["content", "templates", ".git", "Package.swift", "Sources", "lossbook.yaml", "Makefile"]
        return !entries.contains { sources.contains($0) || $0.hasSuffix(".md") || $0.hasSuffix(".mustache") }
    }
}

extension BuildOptions {
    /// The check every build makes first (``OutputSafety``), for `serve` to make before it listens:
    /// an output a build would refuse ends the session at once instead of serving the refusal.
    public func checkOutputFolder() throws {
        try OutputSafety.check(output: outputDirectory, content: contentDirectory, templates: templatesDirectory)
    }
}
