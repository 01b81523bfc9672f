import Foundation

/// The versions of the tools a build runs, found before any work (printed by `--verbose`).
public struct ToolVersions: Sendable, Equatable {
    public var node: String
    public var katex: String
    public var highlight: String
}

/// Finds Node.js, KaTeX and highlight.js before a build does any work, so a missing one is
/// one line saying how to install it rather than a dead helper halfway through.
enum Preflight {
    static let install = "apt-get install nodejs libjs-katex node-highlight.js, or make deps"

    /// - Parameter cache: a folder to keep Node.js's version in, by its executable's identity
    ///   (``knownNodeVersion(_:cache:)``); nil: `node --version` is run every time.
    /// - Throws: a `BuildFailure` with one diagnostic per missing tool.
    static func check(_ tools: RenderTools, cache: URL? = nil) throws -> ToolVersions {
        var diagnostics: [Diagnostic] = []
        var versions = ToolVersions(node: "", katex: "", highlight: "")
        do {
            versions.node = try knownNodeVersion(tools, cache: cache)
        } catch let diagnostic as Diagnostic {
            diagnostics.append(diagnostic)
        }
        let katex = "\(tools.katexDirectory)/katex.js"
        // Read as bytes: made a string, its quarter of a megabyte was checked as UTF-8 at every
        // build (an unchanged rebuild at 2,000 pages per language, forty alternated: 24.3 → 23.7 ms).
        if let script = SiteFile.contents(of: katex) {
            versions.katex = script.withUnsafeBufferPointer { version(in: $0, after: ["version:\"", "version: \"", "version = \""]) } ?? "unknown"
            // The write stage copies these into site/assets/katex/: without them every formula
            // would be published unstyled, and the build would pass.
            diagnostics += missingParts(of: tools.katexDirectory, ["katex.min.css", "fonts/"], name: "KaTeX",
                                        hint: "\(install) (or set LOSSBOOK_KATEX_DIR)")
        } else {
            diagnostics.append(Diagnostic(katex, stage: .preflight, "KaTeX not found",
                                          hint: "\(install) (or set LOSSBOOK_KATEX_DIR)"))
        }
        let highlight = "\(tools.highlightDirectory)/package.json"
        if let text = try? String(contentsOfFile: highlight, encoding: .utf8) {
            versions.highlight = version(in: text, after: ["\"version\": \"", "\"version\":\""]) ?? "unknown"
            // The helper loads the package's main script; without it every code block would be
            // published plain (and cached so), and the build would pass.
            let main = version(in: text, after: ["\"main\": \"", "\"main\":\""]) ?? "index.js"
            diagnostics += missingParts(of: tools.highlightDirectory, [main.hasPrefix("./") ? String(main.dropFirst(2)) : main],
                                        name: "highlight.js", hint: "\(install) (or set LOSSBOOK_HIGHLIGHT_DIR)")
        } else {
            diagnostics.append(Diagnostic(highlight, stage: .preflight, "highlight.js not found",
                                          hint: "\(install) (or set LOSSBOOK_HIGHLIGHT_DIR)"))
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
        return versions
    }

    /// One diagnostic per part of a library that is not readable: a file, or a folder (its
    /// name ends with `/`) that must hold at least one file.
    static func missingParts(of directory: String, _ parts: [String], name: String, hint: String) -> [Diagnostic] {
        parts.compactMap { part in
            let path = "\(directory)/\(part)"
            var isDirectory: ObjCBool = false
            let present = part.hasSuffix("/")
                ? FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                    && !((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty
                : FileManager.default.isReadableFile(atPath: path)
            return present ? nil : Diagnostic(part.hasSuffix("/") ? String(path.dropLast()) : path, stage: .preflight,
                                              "\(name) is incomplete: \(part) is missing or unreadable", hint: hint)
        }
    }

    /// `node --version`, or the version it printed last time when the executable it names (found
    /// on `PATH` as `/usr/bin/env` finds it, links resolved) has the same path, size, modification
    /// and status-change times and inode: an unchanged rebuild then starts no process (two
    /// under `env`), which on a loaded machine cost more wall time than the rest of it.
    static func knownNodeVersion(_ tools: RenderTools, cache: URL?) throws -> String {
        guard let cache, let identity = executableIdentity(tools.node) else { return try nodeVersion(tools) }
        let file = cache.appendingPathComponent("node-version")
        if let kept = try? String(contentsOf: file, encoding: .utf8), let line = kept.split(separator: "\n").first,
           let tab = line.firstIndex(of: "\t"), line[..<tab] == identity {
            return String(line[line.index(after: tab)...])
        }
        let version = try nodeVersion(tools)
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try? Array("\(identity)\t\(version)\n".utf8).withUnsafeBytes { try SiteFile.renew($0, at: file.path) }
        return version
    }

    /// The executable `name` runs (``executable(named:path:)``), with links resolved, and its
    /// size, times and inode; nil when there is none.
    static func executableIdentity(_ name: String) -> String? {
        guard let found = executable(named: name), let resolved = realpath(found.path, nil) else { return nil }
        defer { free(resolved) }
        var info = stat()
        guard stat(resolved, &info) == 0 else { return nil }
        return "\(String(cString: resolved)) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) "
            + "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(info.st_dev) \(info.st_ino)"
    }

    /// `node --version`, with a short timeout. A `node` that is there but hangs or prints no
    /// version is told apart from a missing one: installing Node.js would not help it.
    static func nodeVersion(_ tools: RenderTools) throws -> String {
        let hint = "\(install) (or set LOSSBOOK_NODE)"
        guard executable(named: tools.node) != nil else {
            throw Diagnostic(tools.node, stage: .preflight, "Node.js not found ('\(tools.node)' is not on PATH)", hint: hint)
        }
        let broken = { (why: String) in
            Diagnostic(tools.node, stage: .preflight, "'\(tools.node) --version' \(why)", hint: "check that it is Node.js; \(hint)")
        }
        guard let run = try? ChildProcess.run(executable: tools.node, arguments: ["--version"], input: Data(), timeout: 30) else {
            throw broken("could not be started")
        }
        if run.timedOut { throw broken("did not answer within 30 s and was stopped") }
        let version = String(decoding: run.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard run.status == 0, version.hasPrefix("v") else { throw broken("printed no Node.js version (exit status \(run.status))") }
        return version
    }

    /// The text after the first marker found, up to a quote (at most 40 characters). A byte
    /// search: KaTeX's script is a quarter of a megabyte, and Foundation's `range(of:)` converts it
    /// to UTF-16 first, a tenth of an unchanged build's time.
    static func version(in text: String, after markers: [StaticString]) -> String? {
        var text = text
        return text.withUTF8 { version(in: $0, after: markers) }
    }

    /// ``version(in:after:)-(String,_)`` of a file's bytes.
    static func version(in bytes: UnsafeBufferPointer<UInt8>, after markers: [StaticString]) -> String? {
        for marker in markers {
            guard let found = bytes.firstOffset(of: marker) else { continue }
            let rest = UnsafeBufferPointer(rebasing: bytes[(found + marker.utf8CodeUnitCount)...])
            let end = rest.firstIndex(of: UInt8(ascii: "\""), from: 0) ?? rest.count
            return String(String(decoding: UnsafeBufferPointer(rebasing: rest[..<end]), as: UTF8.self).prefix(40))
        }
        return nil
    }
}
