import Foundation
import Markdown

/// A hash of everything a build reads, kept beside the caches (`.cache/lossbook/build-stamp`)
/// after a build that wrote the site: when the next build's inputs hash the same and the site it
/// wrote is still in place, that build has nothing to do and stops after `load` (a rebuild of
/// unchanged content then costs a small fraction of a full build). The build's warnings are kept
/// in the stamp and reported again by the skipped build, so a site with warnings is skipped too
/// and says the same.
///
/// What is hashed: every file under the content and templates folders (paths and bytes,
/// symlinked folders followed), the binary's compiled-in sources (``CompiledSources``) and
/// version, the working folder's copies of those sources (the folders `load` checks the binary
/// against: a matching stamp means they are those the last build checked, so an unchanged build
/// skips that check and the theme's loading too), the KaTeX/highlight.js
/// fingerprint with the site's macros, Node.js's name and version, the options that change the
/// output (`--drafts`, `--base-url`), and the output folder's identity (path,
/// inode and modification time after the swap), so a deleted or replaced site is written anew.
/// A file's bytes are read again only when its metadata changed since the last build
/// (``InputIndex``, kept in the stamp too).
/// A file edited by hand inside the written site is not noticed: `--no-cache` or deleting the
/// cache rebuilds it.
///
/// The stamp is text, one record a line: ``format``, the inputs' hash, the output's identity,
/// the four counts, then `w` lines (a warning's fields) and `f` lines (an input file's entry),
/// fields separated by tabs, with `\`, tab, newline and carriage return escaped in texts: a
/// skipped build reads it without a JSON decode per warning.
struct BuildStamp {
    let file: URL
    let inputs: String
    /// The input files as this build found them, for the next build.
    let index: InputIndex
    /// What the last build's stamp holds.
    private let previous: Contents?

    static let format = "lossbook build stamp 2"

    /// nil when the build writes no site, fixes numbers, or has no cache folder.
    /// - Parameter sources: the folders of ``SiteBuilder/provenanceFolders``.
    init?(options: BuildOptions, macros: [String: String], tools: ToolVersions?, sources: [URL] = []) {
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
        previous = Self.read(file)
        var index = InputIndex()
        for folder in [options.contentDirectory, options.templatesDirectory] + sources {
            hasher.add("folder \(folder.standardizedFileURL.path)")
            index.walk(folder, kept: previous?.index ?? InputIndex(), into: &hasher)
        }
        hasher.add("output \(OutputSafety.resolvedOutput(options.outputDirectory).path)")
        inputs = hasher.value
        self.index = index
    }

    /// The report of the previous build, when it read the same inputs and its site is in place.
    func unchanged(output: URL) -> BuildReport? {
        guard let previous, previous.inputs == inputs, previous.output == Self.identity(of: output) else { return nil }
        return previous.report
    }

    /// Remembers a successful build, with its warnings for a skipped build to repeat.
    func save(_ report: BuildReport, output: URL) {
        var text = [Self.format, inputs, Self.identity(of: output),
                    "\(report.pages) \(report.assets) \(report.formulas) \(report.codeBlocks)"].joined(separator: "\n") + "\n"
        for warning in report.warnings {
            text += Self.record(["w", warning.isWarning ? "warning" : "error", warning.stage.rawValue, warning.path,
                                 "\(warning.line)", "\(warning.column)", warning.message] + (warning.hint.map { [$0] } ?? []))
        }
        for (path, entry) in index.entries.sorted(by: { $0.key < $1.key }) {
            text += Self.record(["f", "\(entry.size)", "\(entry.modified)", "\(entry.changed)", "\(entry.inode)", "\(entry.device)",
                                 String(entry.hash, radix: 16), entry.racy ? "racy" : "-", path])
        }
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

    // MARK: - The file

    struct Contents {
        var inputs: String
        var output: String
        var report: BuildReport
        var index: InputIndex
    }

    /// What a stamp file holds; nil for a missing, older or damaged one.
    static func read(_ file: URL) -> Contents? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let lines = records(data)
        guard lines.count >= 4, lines[0] == [format], lines[1].count == 1, lines[2].count == 1, lines[3].count == 1 else { return nil }
        let counts = lines[3][0].split(separator: " ").compactMap { Int($0) }
        guard counts.count == 4 else { return nil }
        var report = BuildReport()
        (report.pages, report.assets, report.formulas, report.codeBlocks) = (counts[0], counts[1], counts[2], counts[3])
        var entries: [String: InputIndex.Entry] = [:]
        for fields in lines.dropFirst(4) {
            switch fields.first {
            case "w":
                guard fields.count == 7 || fields.count == 8, let stage = Diagnostic.Stage(rawValue: fields[2]),
                      let number = Int(fields[4]), let column = Int(fields[5]) else { return nil }
                var warning = Diagnostic(unescaped(fields[3]), line: number, column: column, stage: stage, unescaped(fields[6]),
                                         hint: fields.count == 8 ? unescaped(fields[7]) : nil)
                warning.isWarning = fields[1] == "warning"
                report.warnings.append(warning)
            case "f":
                guard fields.count == 9, let size = Int64(fields[1]), let modified = Int64(fields[2]), let changed = Int64(fields[3]),
                      let inode = UInt64(fields[4]), let device = UInt64(fields[5]), let hash = UInt64(fields[6], radix: 16) else { return nil }
                entries[unescaped(fields[8])] = InputIndex.Entry(size: size, modified: modified, changed: changed, inode: inode,
                                                                 device: device, hash: hash, racy: fields[7] == "racy")
            default:
                return nil
            }
        }
        return Contents(inputs: lines[1][0], output: lines[2][0], report: report, index: InputIndex(entries: entries))
    }

    /// The file's lines, each cut at its tabs: one pass over the bytes (the stamp of a site with
    /// thousands of warnings is megabytes).
    private static func records(_ data: Data) -> [[String]] {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var records: [[String]] = []
            var fields: [String] = []
            var start = 0
            for (index, byte) in bytes.enumerated() where byte == 0x09 || byte == 0x0A {
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
                if byte == 0x0A {
                    records.append(fields)
                    fields = []
                }
            }
            return records
        }
    }

    /// One line of tab-separated fields.
    private static func record(_ fields: [String]) -> String {
        fields.map(escaped).joined(separator: "\t") + "\n"
    }

    private static func escaped(_ text: String) -> String {
        guard text.containsUTF8Byte(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return text.replacingScalars { scalar in
            switch scalar {
            case "\\": return "\\\\"
            case "\t": return "\\t"
            case "\n": return "\\n"
            case "\r": return "\\r"
            default: return nil
            }
        }
    }

    private static func unescaped(_ field: String) -> String {
        guard field.containsUTF8Byte(where: { $0 == 0x5C }) else { return field }
        var result = ""
        var escape = false
        for scalar in field.unicodeScalars {
            if escape {
                switch scalar {
                case "t": result += "\t"
                case "n": result += "\n"
                case "r": result += "\r"
                default: result.unicodeScalars.append(scalar)
                }
                escape = false
            } else if scalar == "\\" {
                escape = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
