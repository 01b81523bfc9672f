import Foundation
import Losses

/// The Swift sources of the loss library as compiled into this binary: for `loss-code` excerpts
/// and for the fingerprints that tie executed results to the code that produced them.
struct LossSources: Sendable {
    /// Relative path (as shown on pages, e.g. `Sources/Losses/Distribution/FocalLoss.swift`) → text.
    let files: [String: String]
    /// FNV-1a of every file, in path order: changes whenever any loss's code changes.
    let fingerprint: String
    /// Path → names of the types the file declares or extends.
    var declarations: [String: Set<String>] { index.value.declarations }
    /// Path → every identifier in the file.
    var identifiers: [String: Set<String>] { index.value.identifiers }
    /// Type name → the files declaring or extending it: a file's identifiers are looked up here,
    /// rather than every file's declarations compared with them (quadratic in the number of files).
    var declarers: [String: [String]] { index.value.declarers }
    /// Path → FNV-1a of the file.
    let fileHashes: [String: String]
    private let index: OnFirstUse<Made>

    init(files: [String: String], fingerprint: String) {
        self.files = files
        self.fingerprint = fingerprint
        fileHashes = files.mapValues { fnv1a64Hex($0.utf8) }
        index = OnFirstUse { Made(files) }
    }

    /// The files' words, read on first use: only an executable block's cache key needs them, and
    /// reading every file of the library costs a tenth of a second (a site without blocks never pays it).
    private struct Made {
        var declarations: [String: Set<String>] = [:]
        var identifiers: [String: Set<String>] = [:]
        var declarers: [String: [String]] = [:]

        init(_ files: [String: String]) {
            for (path, source) in files {
                let words = LossSources.words(source)
                identifiers[path] = Set(words.map(String.init))
                var names = Set<String>()
                for (i, word) in words.enumerated() where i + 1 < words.count && ["struct", "enum", "class", "extension", "protocol"].contains(word) {
                    names.insert(String(words[i + 1]))
                }
                declarations[path] = names
                for name in names { declarers[name, default: []].append(path) }
            }
        }
    }

    /// The identifier-like words of a source: letters, digits and `_`, by scalar with an ASCII fast
    /// path (splitting by `Character` cost a tenth of a second on every build).
    static func words(_ source: String) -> [Substring] {
        Substring(source).unicodeScalars.split(whereSeparator: { scalar in
            let value = scalar.value
            if value < 0x80 {
                return !((value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39) || value == 0x5F)
            }
            let character = Character(scalar)
            return !(character.isLetter || character.isNumber)
        }).map { Substring($0) }
    }

    /// The sources under `folder` (`Sources/Losses`) as this binary was compiled from them
    /// (`CompiledSources`, written by `SourceFingerprintPlugin`).
    static func compiled(_ folder: String) -> LossSources {
        let files = CompiledSources.files.filter { $0.key.hasPrefix(folder + "/") }
        return LossSources(files: files, fingerprint: CompiledSources.fingerprints[folder] ?? fingerprint(files))
    }

    /// The fingerprint alone of the sources under `folder` as compiled in (without the excerpts'
    /// indexes, which cost a tenth of a second per build to make): the one the plugin made at
    /// compile time for a provenance folder (``fingerprint(_:)`` of the same files), else made now.
    static func compiledFingerprint(_ folder: String) -> String {
        CompiledSources.fingerprints[folder] ?? fingerprint(CompiledSources.files.filter { $0.key.hasPrefix(folder + "/") })
    }

    /// FNV-1a of every path and text, in path order.
    static func fingerprint(_ files: [String: String]) -> String {
        guard !files.isEmpty else { return "no-sources" }
        var bytes: [UInt8] = []
        for (path, text) in files.sorted(by: { $0.key < $1.key }) { bytes += Array(path.utf8) + Array(text.utf8) }
        return fnv1a64Hex(bytes)
    }

    /// The Swift files under `directory` (shown as `folder/…`) that differ from the compiled-in
    /// ones, or are missing or new: non-empty when the binary is older than the working folder's
    /// sources, so its numbers would not be the code's. Empty when `directory` does not exist (a
    /// site outside this repository: the compiled-in sources stand).
    static func differences(directory: URL, folder: String, kind: String = "swift") -> [String] {
        let root = directory.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue,
              let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        let base = root.standardizedFileURL.path
        var onDisk: [String: String] = [:]
        for case let url as URL in enumerator where url.pathExtension == kind {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            onDisk["\(folder)/\(relative)"] = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        let compiled = CompiledSources.files.filter { $0.key.hasPrefix(folder + "/") && $0.key.hasSuffix("." + kind) }
        return Set(onDisk.keys).union(compiled.keys).filter { onDisk[$0] != compiled[$0] }.sorted()
    }

    /// The loss's type, from its declaration to its closing brace, with the (long) catalog
    /// descriptor folded to one line: the code that computes the value and the gradient.
    func excerpt(id: String) throws -> (path: String, firstLine: Int, lastLine: Int, code: String) {
        let typeName = String(describing: try Catalog.type(for: id))
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let declaration = lines.firstIndex(where: { $0.contains("struct \(typeName):") || $0.contains("struct \(typeName) :") }) else {
                continue
            }
            var excerpt: [String] = []
            var depth = 0
            var opened = false
            var index = declaration
            while index < lines.count {
                let line = lines[index]
                if line.contains("static let descriptor") {
                    // Fold the descriptor: skip to where its brackets close.
                    var inner = 0
                    var k = index
                    repeat {
                        for c in lines[k] where "([{".contains(c) { inner += 1 }
                        for c in lines[k] where ")]}".contains(c) { inner -= 1 }
                        k += 1
                    } while inner > 0 && k < lines.count
                    let indent = String(line.prefix(while: { $0 == " " }))
                    excerpt.append(indent + "public static let descriptor = LossDescriptor(…) // the catalog entry: see the reference page")
                    index = k
                    continue
                }
                excerpt.append(line)
                for c in line {
                    if c == "{" { depth += 1; opened = true }
                    if c == "}" { depth -= 1 }
                }
                if opened, depth == 0 { return (path, declaration + 1, index + 1, dedent(excerpt.joined(separator: "\n"))) }
                index += 1
            }
        }
        throw ProbeError(message: "no source found for '\(id)' (type \(typeName)) under the loss sources")
    }

    private func dedent(_ code: String) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : String($0) }.joined(separator: "\n")
    }
}
