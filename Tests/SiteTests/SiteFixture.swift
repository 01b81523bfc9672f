import Foundation
import XCTest
import _TestSupport
@testable import Site

/// A fixture site copied into a fresh temporary folder, built with the repository's own templates.
struct SiteFixture {
    let root: URL
    var content: URL { root.appendingPathComponent("content") }
    var output: URL { root.appendingPathComponent("site") }

    static var repository: URL { TestRepository.root }

    init(_ name: String) throws {
        try self.init(copying: Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!)
    }

    /// A copy of `source` in `root` (by default a fresh temporary folder).
    private init(copying source: URL,
                 to root: URL = TemporaryFolder.path("test")) throws {
        self.root = root
        try FileManager.default.copyItem(at: source, to: root)
    }

    func options(write: Bool = true, cache: Bool = true) -> BuildOptions {
        var options = BuildOptions(contentDirectory: content,
                                   templatesDirectory: Self.repository.appendingPathComponent("templates"),
                                   outputDirectory: output,
                                   cacheDirectory: cache ? root.appendingPathComponent(".cache") : nil)
        options.write = write
        return options
    }

    @discardableResult
    func build(write: Bool = true, cache: Bool = true) async throws -> BuildReport {
        try await SiteBuilder.build(options(write: write, cache: cache))
    }

    /// The diagnostics of a build that must fail.
    func failures() async -> [Diagnostic] {
        do {
            try await build()
            return []
        } catch let failure as BuildFailure {
            return failure.diagnostics
        } catch let diagnostic as Diagnostic {
            return [diagnostic]
        } catch {
            return [Diagnostic("?", stage: .output, "\(error)")]
        }
    }

    func write(_ text: String, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every file of the built site, relative, sorted, with their bytes.
    func snapshot() throws -> [String: Data] { try Self.snapshot(of: output) }

    /// Every file under `folder`, relative, with their bytes.
    static func snapshot(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = folder.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return files }
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue { files[path] = FileManager.default.contents(atPath: base + "/" + path) }
        }
        return files
    }

    func remove() { TemporaryFolder.remove(root) }

    /// Every path under the fixture's folder (links not followed) but the build cache's, for
    /// "nothing of the project touched" checks.
    func paths() -> Set<String> {
        Set((FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { !$0.hasPrefix(".cache") })
    }

    /// `options()` on a copy of the repository's theme in the fixture's `templates/`, which a
    /// test may edit.
    /// Copies this repository's catalog prose (`content/<code>/reference/`) into `content` for each of `languages`.
    static func copyRepositoryProse(to content: URL, languages: [String] = ["zh", "en"]) throws {
        for code in languages {
            try FileManager.default.createDirectory(at: content.appendingPathComponent(code), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: repository.appendingPathComponent("content/\(code)/reference"),
                                             to: content.appendingPathComponent("\(code)/reference"))
        }
    }

    /// ``copyRepositoryProse(to:languages:)`` into this fixture's content folder, both languages.
    func copyRepositoryProse() throws { try Self.copyRepositoryProse(to: content) }

    func optionsWithOwnTheme() throws -> BuildOptions {
        var options = options()
        let copy = root.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: options.templatesDirectory, to: copy)
        options.templatesDirectory = copy
        return options
    }

    /// `options()` on the copy of the theme that `optionsWithOwnTheme()` made in `templates/`.
    private func ownThemeOptions() -> BuildOptions {
        var options = options()
        options.templatesDirectory = root.appendingPathComponent("templates")
        return options
    }

    /// The "basic" fixture after its first build (site, caches and, with `ownTheme`, the copy of
    /// the theme it was built with), made once per test process and copied into a fresh folder for
    /// each caller: a failing build's tests start from it, and the build it saves is the same
    /// every time. The stamp of the copied build names the folder it was made in, so the caller's
    /// next build runs whole, as it would after its own first build and an edit.
    static func builtBasic(ownTheme: Bool) async throws -> SiteFixture {
        try SiteFixture(copying: try await (ownTheme ? builtBasicOwnTheme : builtBasicRepositoryTheme).value.root)
    }

    private static let builtBasicRepositoryTheme = Task { try await buildOnceForCopies(ownTheme: false) }
    private static let builtBasicOwnTheme = Task { try await buildOnceForCopies(ownTheme: true) }

    /// Where this process keeps the built originals; deleted when the process exits.
    private static let originals: URL = {
        let folder = TemporaryFolder.path("built")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { TemporaryFolder.remove(SiteFixture.originals) }
        return folder
    }()

    private static func buildOnceForCopies(ownTheme: Bool) async throws -> SiteFixture {
        let fixture = try SiteFixture(copying: Bundle.module.url(forResource: "basic", withExtension: nil, subdirectory: "Fixtures")!,
                                      to: originals.appendingPathComponent(ownTheme ? "own-theme" : "repository-theme"))
        try await SiteBuilder.build(ownTheme ? try fixture.optionsWithOwnTheme() : fixture.options())
        return fixture
    }

    /// Starts from a copy of the built "basic" fixture (``builtBasic(ownTheme:)``, on a copy of
    /// the theme when `templates` is given), applies `edit`, then `templates` to that copy, and
    /// builds again with `options` (by default those of the first build). The build must fail with one-line diagnostics, passed to `check`, and
    /// leave the site as it was, every path of the project in place and no staging folder behind.
    static func expectFailure(templates: ((URL) throws -> Void)? = nil, _ edit: (SiteFixture) throws -> Void = { _ in },
                              options: ((SiteFixture) -> BuildOptions)? = nil,
                              file: StaticString = #filePath, line: UInt = #line,
                              _ check: ([Diagnostic]) -> Void) async throws {
        let fixture = try await builtBasic(ownTheme: templates != nil)
        defer { fixture.remove() }
        let first = templates == nil ? fixture.options() : fixture.ownThemeOptions()
        try edit(fixture)
        try templates?(first.templatesDirectory)
        let site = try fixture.snapshot()
        let project = fixture.paths()
        var diagnostics: [Diagnostic] = []
        do {
            try await SiteBuilder.build(options?(fixture) ?? first)
        } catch let failure as BuildFailure {
            diagnostics = failure.diagnostics
        } catch let diagnostic as Diagnostic {
            diagnostics = [diagnostic]
        }
        XCTAssertFalse(diagnostics.isEmpty, "the build should fail", file: file, line: line)
        for d in diagnostics { XCTAssertFalse(d.description.contains("\n"), "one line: \(d)", file: file, line: line) }
        check(diagnostics)
        XCTAssertEqual(try fixture.snapshot(), site, "the previous site must be left untouched", file: file, line: line)
        XCTAssertEqual(fixture.paths(), project, "nothing of the project touched", file: file, line: line)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.root.path).filter { $0.contains("staging") || $0.contains(".old-") }
        XCTAssertEqual(leftovers, [], "no staging folder left behind", file: file, line: line)
    }
}
