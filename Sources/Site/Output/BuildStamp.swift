import Foundation

/// A hash of everything a build reads, kept beside the caches (`.cache/lossbook/build-stamp`)
/// after a build that wrote the site: when the next build's inputs hash the same and the site it
/// wrote is still in place, that build has nothing to do and stops after `load` (a rebuild of
/// unchanged content then costs a small fraction of a full build). The build's warnings are kept
/// in the stamp (one JSON line each, ``Diagnostic/jsonLine``) and reported again by the skipped
/// build, so a site with warnings is skipped too and says the same.
///
/// What is hashed: every file under the content and templates folders (bytes and paths,
/// symlinked folders followed), the binary's compiled-in sources (``CompiledSources``, which
/// `load` has checked against the working folder's) and version, the KaTeX/highlight.js
/// fingerprint with the site's macros, Node.js's name and version, the options that change the
/// output (`--drafts`, `--base-url`), and the output folder's identity (path,
/// inode and modification time after the swap), so a deleted or replaced site is written anew.
/// A file edited by hand inside the written site is not noticed: `--no-cache` or deleting the
/// cache rebuilds it.
struct BuildStamp {
    let file: URL
    let inputs: String

    /// nil when the build writes no site, fixes numbers, or has no cache folder.
    init?(options: BuildOptions, macros: [String: String], tools: ToolVersions?) {
        // A test's substituted loss is not among the inputs: such a build always runs whole.
        guard options.write, !options.fix, LossRunner.substitute == nil, let cache = options.cacheDirectory else { return nil }
        file = cache.appendingPathComponent("build-stamp")
        var hasher = StampHasher()
        hasher.add("lossbook \(LossbookVersion.current)")
        for (path, hash) in CompiledSources.hashes.sorted(by: { $0.key < $1.key }) { hasher.add("\(path)=\(hash)") }
        hasher.add(options.tools.fingerprint(macros: macros))
        hasher.add(options.tools.node)
        // Options that change what is written: drafts included or not, the address in the sitemap and feeds.
        hasher.add("drafts \(options.drafts) base-url \(options.baseURL ?? "-")")
        if let tools { hasher.add("\(tools.node) \(tools.katex) \(tools.highlight)") }
        for folder in [options.contentDirectory, options.templatesDirectory] {
            hasher.add("folder \(folder.standardizedFileURL.path)")
            hasher.addTree(folder)
        }
        hasher.add("output \(OutputSafety.resolvedOutput(options.outputDirectory).path)")
        inputs = hasher.value
    }

    /// The report of the previous build, when it read the same inputs and its site is in place.
    func unchanged(output: URL) -> BuildReport? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 6, lines[0] == inputs, lines[1] == Self.identity(of: output),
              let pages = Int(lines[2]), let assets = Int(lines[3]), let formulas = Int(lines[4]), let code = Int(lines[5]) else { return nil }
        var report = BuildReport()
        for line in lines.dropFirst(6) {
            guard let warning = Diagnostic(jsonLine: line) else { return nil }
            report.warnings.append(warning)
        }
        report.pages = pages
        report.assets = assets
        report.formulas = formulas
        report.codeBlocks = code
        return report
    }

    /// Remembers a successful build, with its warnings for a skipped build to repeat.
    func save(_ report: BuildReport, output: URL) {
        let text = ([inputs, Self.identity(of: output), "\(report.pages)", "\(report.assets)", "\(report.formulas)", "\(report.codeBlocks)"]
            + report.warnings.map(\.jsonLine)).joined(separator: "\n") + "\n"
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: file, options: .atomic)
    }

    /// Forgets the last build (before writing: a failed or interrupted build must not look done).
    func remove() { try? FileManager.default.removeItem(at: file) }

    /// The written site's folder as the file system knows it: a replaced or deleted site differs.
    static func identity(of output: URL) -> String {
        let folder = OutputSafety.resolvedOutput(output)
        var info = stat()
        guard stat(folder.path, &info) == 0 else { return "missing" }
        return "\(folder.path) \(info.st_dev) \(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}

/// FNV-1a (64 bits) over paths and bytes, fed in a fixed order.
private struct StampHasher {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    var value: String { String(format: "%016llx", hash) }

    mutating func add(_ text: String) { add(bytes: Array(text.utf8)); add(bytes: [0]) }

    mutating func add<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }

    /// Every file under `folder`, sorted by path, following symlinks (each folder once).
    mutating func addTree(_ folder: URL) {
        var seen: Set<String> = []
        addTree(folder, relative: "", seen: &seen)
    }

    private mutating func addTree(_ url: URL, relative: String, seen: inout Set<String>) {
        let fm = FileManager.default
        let resolved = url.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else { return add("missing \(relative)") }
        if isDirectory.boolValue {
            guard seen.insert(resolved.path).inserted else { return add("cycle \(relative)") }
            defer { seen.remove(resolved.path) }
            for name in ((try? fm.contentsOfDirectory(atPath: resolved.path)) ?? []).sorted() {
                addTree(resolved.appendingPathComponent(name), relative: relative + "/" + name, seen: &seen)
            }
        } else {
            add("file \(relative)")
            if let data = fm.contents(atPath: resolved.path) { data.withUnsafeBytes { add(bytes: $0) } }
        }
    }
}
