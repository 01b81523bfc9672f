import Foundation

// Writes `CompiledSources.swift`: the text and FNV-1a 64 hash of each file given (Swift sources,
// golden JSON, the default theme's templates and assets), keyed by
// its path in the package (`Sources/Losses/…`), and the provenance folders with their file kinds
// (`Sources/Losses:swift,Sources/CLossKernels:c,…`). Run by `SourceFingerprintPlugin` at compile time.
// Usage: source-fingerprint OUTPUT PACKAGE_DIR PROVENANCE FILE...

func fnv1a64Hex(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16).leftPadded(to: 16)
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// A Swift raw string literal for any text: enough `#`s that nothing inside closes it.
func rawLiteral(_ text: String) -> String {
    var hashes = 1
    while text.contains("\"" + String(repeating: "#", count: hashes)) || text.contains("\\" + String(repeating: "#", count: hashes)) {
        hashes += 1
    }
    let delimiter = String(repeating: "#", count: hashes)
    return "\(delimiter)\"\"\"\n\(text)\n\"\"\"\(delimiter)"
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: source-fingerprint OUTPUT PACKAGE_DIR PROVENANCE FILE...\n".utf8))
    exit(2)
}
let output = arguments[1]
let package = URL(fileURLWithPath: arguments[2]).standardizedFileURL.path
let provenance = arguments[3].split(separator: ",").map { $0.split(separator: ":", maxSplits: 1).map(String.init) }
guard provenance.allSatisfy({ $0.count == 2 }) else {
    FileHandle.standardError.write(Data("source-fingerprint: PROVENANCE is folder:kind,…, not \(arguments[3])\n".utf8))
    exit(2)
}
var entries: [(path: String, text: String)] = []
for file in arguments.dropFirst(4) {
    let path = URL(fileURLWithPath: file).standardizedFileURL.path
    guard path.hasPrefix(package + "/"), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("source-fingerprint: cannot read \(file)\n".utf8))
        exit(1)
    }
    entries.append((String(path.dropFirst(package.count + 1)), text))
}
entries.sort { $0.path < $1.path }

var swift = """
// Generated at compile time by SourceFingerprintPlugin (Sources/source-fingerprint): do not edit.

/// The sources of the code that computes and checks the site's numbers, as this binary was built from them.
enum CompiledSources {
    /// Path in the package (`Sources/Losses/Core/Tensor.swift`) → text.
    static let files: [String: String] = [

"""
for entry in entries {
    swift += "        \"\(entry.path)\": \(rawLiteral(entry.text)),\n"
}
swift += """
    ]
    /// Path → FNV-1a 64 of the file's UTF-8 bytes, in path order (`String`'s `<`): sorting a
    /// dictionary of them was 1.5 M instructions of every process that reads them.
    static let hashes: [(path: String, hash: String)] = [

"""
for entry in entries {
    swift += "        (\"\(entry.path)\", \"\(fnv1a64Hex(Array(entry.text.utf8)))\"),\n"
}
swift += """
    ]
    /// Provenance folder → FNV-1a 64 of the paths and texts of its files, in path order
    /// (`LossSources.fingerprint`, made here rather than at each start of the binary: hashing the
    /// megabytes of sources was a twentieth of the CPU of a prose edit of the repository's content).
    static let fingerprints: [String: String] = [

"""
var fingerprinted: Set<String> = []
for pair in provenance where fingerprinted.insert(pair[0]).inserted {  // a folder of two kinds is listed twice
    var bytes: [UInt8] = []
    for entry in entries where entry.path.hasPrefix(pair[0] + "/") { bytes += Array(entry.path.utf8) + Array(entry.text.utf8) }
    if !bytes.isEmpty { swift += "        \"\(pair[0])\": \"\(fnv1a64Hex(bytes))\",\n" }
}
swift += """
    ]
    /// The folders of the code that computes and checks the site's numbers, and of the peer
    /// libraries' values that witness it, with the kind of file compiled in from each
    /// (`SourceFingerprintPlugin.provenance`).
    static let provenance: [(folder: String, kind: String)] = [

"""
for pair in provenance {
    swift += "        (\"\(pair[0])\", \"\(pair[1])\"),\n"
}
swift += """
    ]
}

"""
// The same text is not written again: SwiftPM runs this command again in a fresh clone's second
// release build (with no input changed), and a rewritten file, however equal, recompiled the whole
// `Site` module (77 s of a second `make site`, whose build then found a new binary and redid every page).
if let old = FileManager.default.contents(atPath: output), old == Data(swift.utf8) { exit(0) }
do {
    try swift.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("source-fingerprint: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
