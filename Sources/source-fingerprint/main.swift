import Foundation

// Writes `CompiledSources.swift`: the text and FNV-1a 64 hash of each file given (Swift sources,
// golden JSON, the default theme's templates and assets), keyed by
// its path in the package (`Sources/Losses/…`). Run by `SourceFingerprintPlugin` at compile time.
// Usage: source-fingerprint OUTPUT PACKAGE_DIR FILE...

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
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: source-fingerprint OUTPUT PACKAGE_DIR FILE...\n".utf8))
    exit(2)
}
let output = arguments[1]
let package = URL(fileURLWithPath: arguments[2]).standardizedFileURL.path
var entries: [(path: String, text: String)] = []
for file in arguments.dropFirst(3) {
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
    /// Path → FNV-1a 64 of the file's UTF-8 bytes.
    static let hashes: [String: String] = [

"""
for entry in entries {
    swift += "        \"\(entry.path)\": \"\(fnv1a64Hex(Array(entry.text.utf8)))\",\n"
}
swift += """
    ]
}

"""
do {
    try swift.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("source-fingerprint: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
