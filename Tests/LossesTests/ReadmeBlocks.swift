import Foundation
import XCTest

/// README.md's Swift examples and the test code each must equal, for the "the README shows this
/// code" checks (`QuickStartTests`, `TypedInitialiserTests`).
enum ReadmeBlocks {
    /// The lines of `file` between the lines ending in `// <name>: begin` and `// <name>: end`,
    /// less the begin line's indentation.
    static func code(_ name: String, in file: StaticString = #filePath) throws -> [String] {
        let lines = try String(contentsOf: URL(fileURLWithPath: "\(file)"), encoding: .utf8).components(separatedBy: "\n")
        let begin = try XCTUnwrap(lines.firstIndex { $0.hasSuffix("// \(name): begin") }, "\(file): no '// \(name): begin'")
        let end = try XCTUnwrap(lines.firstIndex { $0.hasSuffix("// \(name): end") }, "\(file): no '// \(name): end'")
        let indent = lines[begin].prefix { $0 == " " }.count
        return lines[(begin + 1)..<end].map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
    }

    /// The lines of the ```swift block right below README.md's `<!-- <marker>:` line.
    static func swiftBlock(after marker: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8).components(separatedBy: "\n")
        let start = try XCTUnwrap(readme.firstIndex { $0.hasPrefix("<!-- \(marker):") }, "README.md has the \(marker) marker",
                                  file: file, line: line)
        XCTAssertEqual(readme[start + 1], "```swift", file: file, line: line)
        let close = try XCTUnwrap(readme[(start + 2)...].firstIndex { $0 == "```" }, file: file, line: line)
        return Array(readme[(start + 2)..<close])
    }
}
