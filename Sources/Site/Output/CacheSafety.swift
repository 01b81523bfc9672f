import Foundation

/// Decides whether a folder may be the cache folder (`--cache-dir`), before a build reads or
/// writes anything in it.
///
/// lossbook prunes its cache: page memo files of pages that are gone, render caches of other
/// tools' versions, the spare site (``SiteWriter``). Pointed at a folder of the user's, that
/// pruning deleted the user's files (`--cache-dir content/en` removed the notes under
/// `content/en/pages/` and `content/en/render/`). So the cache folder must be neither the
/// project, `content/`, `templates/` nor the output, contain none of them, and lie inside none
/// of them but the project (or a hidden folder of `content/`, which no build reads); and a
/// folder that exists and holds anything must be a lossbook cache: tagged by lossbook (``tagName``, the Cache Directory Tagging convention, which also keeps
/// backup tools out of it), or holding only what a lossbook from before the tag wrote there.
/// A cache folder that passes is tagged. Even so, each cache prunes only the hash-named files
/// it writes (``isHashName(_:)``).
enum CacheSafety {
    /// The Cache Directory Tagging file (https://bford.info/cachedir/).
    static let tagName = "CACHEDIR.TAG"
    /// The signature the convention requires on the tag's first line.
    static let tagText = """
        Signature: 8a477f597d28d172789f06886806bc55
        # This file is a cache directory tag created by lossbook.
        # Everything in this folder can be rebuilt; see https://bford.info/cachedir/

        """

    /// What lossbook keeps in its cache folder (besides its temporary files), now and before the
    /// tag: a folder of these alone, with a file of lossbook's, is an earlier cache (or one whose tag was lost).
    static let earlierEntries: Set<String> = ["pages", "render", "render-cache.json", "build-stamp", "node-version",
                                             "assembled-pages", "spare-site", "exec-cache.json", "exec", "graphviz", "notes",
                                             "page-summaries"]

    /// Throws one diagnostic when `cache` may not be used; touches nothing.
    static func check(cache: URL, content: URL, templates: URL, output: URL) throws {
        let display = SiteBuilder.displayPath(cache)
        let target = OutputSafety.resolvedOutput(cache).path
        let content = OutputSafety.realPath(content).path
        let templates = OutputSafety.realPath(templates).path
        let output = OutputSafety.resolvedOutput(output).path
        let project = (content as NSString).deletingLastPathComponent
        func refuse(_ message: String, hint: String = "choose another --cache-dir, e.g. the default '.cache/lossbook', or build with --no-cache") -> Diagnostic {
            Diagnostic(display, stage: .preflight, message, hint: hint)
        }
        func inside(_ path: String, _ folder: String) -> Bool { PathBytes.isInside(path, folder) }
        let named = [(project, "the project folder (it holds \(SiteBuilder.displayPath(URL(fileURLWithPath: content))))"),
                     (content, "the content folder"), (templates, "the templates folder"), (output, "the output folder")]
        for (folder, name) in named {
            if PathBytes.equal(target, folder) { throw refuse("refusing to keep the cache in \(name): lossbook prunes its cache folder") }
            if inside(folder, target) { throw refuse("refusing to keep the cache here: this folder contains \(name)") }
        }
        // Inside `content/`, a hidden folder is not read (``ContentTree/isIgnored(_:)``): the default
        // `.cache/lossbook` of a build run from the content folder stays allowed.
        // The path below `folder`, cut at bytes (``SitePath``): `target` is inside it, so a `/` byte
        // follows the folder's bytes.
        func hiddenInside(_ folder: String) -> Bool {
            SitePath.parts(String(Substring(target.utf8.dropFirst(folder.utf8.count + 1)))).contains { ContentTree.isIgnored(String($0)) }
        }
        for (folder, name) in named.dropFirst() where inside(target, folder) && !(folder == content && hiddenInside(folder)) {
            throw refuse("refusing to keep the cache inside \(name): " + (folder == output
                ? "each build replaces it" : "the next build would read it back"))
        }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw refuse("the cache folder exists and is not a folder") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        if entries.isEmpty || isTagged(target) { return }
        // The kept theme's files (``SiteBuilder/loadTheme(_:_:cache:inputs:)``) are named as runs of `theme`.
        let theme = URL(fileURLWithPath: SiteBuilder.themeFile)
        let foreign = entries.filter {
            !earlierEntries.contains($0) && !PassingRunCache.isRun($0, of: theme) && SiteFile.temporaryParts($0) == nil
        }.sorted()
        // Folder names alone (`pages`, `render`) are any project's: an earlier cache has a file of lossbook's too.
        let files: Set<String> = ["build-stamp", "node-version", "assembled-pages", "exec-cache.json", "render-cache.json"]
        guard foreign.isEmpty, entries.contains(where: files.contains) else {
            let foreign = foreign.isEmpty ? entries.sorted() : foreign
            throw refuse("refusing to use a folder that is not a lossbook cache: it has no \(tagName) of lossbook's and holds '\(foreign[0])'"
                         + (foreign.count > 1 ? " and \(foreign.count - 1) more" : ""),
                         hint: "choose an empty or new folder for --cache-dir; lossbook prunes what it finds in its cache")
        }
    }

    /// Whether `folder` holds lossbook's tag.
    static func isTagged(_ folder: String) -> Bool {
        guard let bytes = SiteFile.contents(of: folder + "/" + tagName) else { return false }
        return bytes.starts(with: Array(tagText.utf8.prefix(while: { $0 != UInt8(ascii: "\n") }))) &&
            String(decoding: bytes, as: UTF8.self).contains("created by lossbook")
    }

    /// Tags the cache folder (``check(cache:content:templates:output:)`` passed), making it when
    /// missing. Best effort, like the caches: a folder that cannot be written is a build without them.
    static func tag(_ cache: URL) {
        let folder = OutputSafety.resolvedOutput(cache).path
        guard !isTagged(folder), (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else { return }
        var text = tagText
        try? text.withUTF8 { try SiteFile.replace(UnsafeRawBufferPointer($0), at: folder + "/" + tagName) }
    }
}

extension BuildOptions {
    /// The check every build with a cache makes first (``CacheSafety``), for `serve` to make before
    /// it listens, as ``checkOutputFolder()``.
    public func checkCacheFolder() throws {
        guard let cacheDirectory else { return }
        try CacheSafety.check(cache: cacheDirectory, content: contentDirectory, templates: templatesDirectory, output: outputDirectory)
    }
}
