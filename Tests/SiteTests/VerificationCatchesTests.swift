import Foundation
import LossReference
import Losses
import XCTest
@testable import Site

/// The checks behind the "verified" mark are shown to catch what they exist for: a wrong loss,
/// a wrong gradient, a wrong reference, a peer value the library no longer gives, and a binary
/// older than the sources beside it. Each must end in a failed build at the right place, never
/// in a green build with wrong numbers.
final class VerificationCatchesTests: XCTestCase {
    /// A loss that gives the catalog loss's value and gradient, each scaled.
    struct Scaled: Loss {
        static var descriptor: LossDescriptor { L1Loss.descriptor }
        var inner: any Loss
        var valueFactor: Float
        var gradientFactor: Float
        init(_ parameters: Parameters) throws { fatalError("made by the test") }
        init(inner: any Loss, value: Float, gradient: Float) {
            self.inner = inner
            valueFactor = value
            gradientFactor = gradient
        }
        func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
            let output = try inner.evaluate(input, target: target, gradient: gradient)
            return LossOutput(value: try Tensor(shape: output.value.shape, data: output.value.data.map { $0 * valueFactor }),
                              gradient: try output.gradient.map { try Tensor(shape: $0.shape, data: $0.data.map { $0 * gradientFactor }) })
        }
    }

    static let note = """
        ---
        title: Checked
        ---

        The L1 loss:

        ```loss-table l1
        vary: {r: [-1, 0.5, 2]}
        ```

        Its gradient:

        ```loss-grad l1
        vary: {r: [-1, 0.5, 2]}
        ```

        """
    static let tableLine = 7, gradientLine = 13

    func build(with substitute: LossRunner.Substitute) async throws -> [Diagnostic] {
        let site = try SiteFixture("basic")
        defer { site.remove() }
        try site.write(Self.note, to: "content/en/checked.md")
        return await LossRunner.$substitute.withValue(substitute) { await site.failures() }
    }

    static func scaledL1(value: Float, gradient: Float) -> LossRunner.Substitute {
        LossRunner.Substitute(loss: { id, parameters in
            id == "l1" ? Scaled(inner: try Catalog.make(id, parameters), value: value, gradient: gradient) : nil
        })
    }

    func testTheRealLossBuilds() async throws {
        let failures = try await build(with: Self.scaledL1(value: 1, gradient: 1))
        XCTAssertEqual(failures, [], "the unchanged loss must build: the test double itself is not the cause")
    }

    func testAWrongValueFailsAtItsBlock() async throws {
        let failures = try await build(with: Self.scaledL1(value: 1.001, gradient: 1))
        XCTAssertEqual(failures.first?.path.hasSuffix("content/en/checked.md"), true, "\(failures)")
        XCTAssertEqual(failures.first?.line, Self.tableLine, "\(failures)")
        XCTAssertTrue(failures.first?.message.hasPrefix("verification failed: 'l1' computes") == true, "\(failures)")
    }

    func testAWrongGradientFailsAtItsBlock() async throws {
        let failures = try await build(with: Self.scaledL1(value: 1, gradient: 1.01))
        XCTAssertEqual(failures.map(\.line), [Self.gradientLine], "\(failures)")
        XCTAssertTrue(failures.first?.message.contains("central differences of the Float64 reference") == true, "\(failures)")
    }

    func testAWrongReferenceFails() async throws {
        let substitute = LossRunner.Substitute(reference: { id, input, target, parameters in
            guard id == "l1" else { return nil }
            let value = try ReferenceLosses.value(id: id, input: input, target: target, parameters: parameters)
            return try RefArray(shape: value.shape, data: value.data.map { $0 * 1.001 })
        })
        let failures = try await build(with: substitute)
        XCTAssertEqual(failures.first?.line, Self.tableLine, "\(failures)")
        XCTAssertTrue(failures.first?.message.contains("Float64 reference gives") == true, "\(failures)")
    }

    /// The same bug in the library and in its reference passes the reference check; the peer
    /// libraries' values, recomputed at build time, catch it.
    func testAPeerValueTheLibraryNoLongerGivesFails() throws {
        let witness = PeerWitness.compiled
        XCTAssertEqual(witness.check(), [], "the compiled-in peer values agree with the library")
        let path = "\(PeerWitness.folder)/pytorch.json"
        let text = try XCTUnwrap(witness.files[path])
        let name = "\"name\":\"l1-mean\""
        let at = try XCTUnwrap(text.range(of: name), "the fixture has an l1-mean case")
        // The case's value, a little off.
        let valueKey = try XCTUnwrap(text.range(of: "\"value\":", range: at.upperBound..<text.endIndex))
        let end = try XCTUnwrap(text[valueKey.upperBound...].firstIndex(where: { $0 == "," || $0 == "}" }))
        let value = try XCTUnwrap(Double(text[valueKey.upperBound..<end]))
        var files = witness.files
        files[path] = text.replacingCharacters(in: valueKey.upperBound..<end, with: String(value * 1.001))
        let found = PeerWitness(files: files).check()
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.path, path)
        let expected = try XCTUnwrap(PeerWitness.location(of: name, in: text))
        XCTAssertEqual(found.first.map { [$0.line, $0.column] }, [expected.line, expected.column])
        XCTAssertTrue(found.first?.message.hasPrefix("'l1' disagrees with pytorch") == true, found.first?.message ?? "")
    }

    func testALossWithoutPeerOrReasonFails() throws {
        let witness = PeerWitness.compiled
        let path = "\(PeerWitness.folder)/index.json"
        let text = try XCTUnwrap(witness.files[path])
        var files = witness.files
        let reason = try XCTUnwrap(PeerWitness.index["exponential"]?.reason)
        files[path] = text.replacingOccurrences(of: "\"reason\": \"\(reason)\"", with: "\"reason\": \"\"")
        XCTAssertNotEqual(files[path], text, "the index records why no peer has the exponential loss")
        let found = PeerWitness(files: files).check()
        XCTAssertEqual(found.map(\.message), ["'exponential' has no peer library, and the index does not say why"])
    }

    /// The paper witnesses count as a peer only while their cases are there: a fixture left out
    /// (or an index whose witness is gone) fails the check.
    func testALossWithoutItsPaperWitnessFails() throws {
        let witness = PeerWitness.compiled
        let papers = "\(PeerWitness.folder)/papers.json"
        XCTAssertNotNil(witness.files[papers], "the paper witnesses are compiled in")
        var files = witness.files
        files[papers] = nil
        let found = PeerWitness(files: files).check().map(\.message)
        XCTAssertTrue(found.contains("the index names papers.json, which is not compiled in"), "\(found)")
        let cases = try XCTUnwrap(PeerWitness.index["dpce"]?.cases)
        XCTAssertTrue(found.contains("the index counts \(cases) case(s) for 'dpce', the fixtures hold 0"), "\(found)")

        let path = "\(PeerWitness.folder)/index.json"
        var index = try XCTUnwrap(witness.files[path])
        let start = try XCTUnwrap(index.range(of: "\"witness\": {", range: index.range(of: "\"combo\": {")!.upperBound..<index.endIndex))
        let end = try XCTUnwrap(index.range(of: "},", range: start.upperBound..<index.endIndex))
        index.replaceSubrange(start.lowerBound..<end.upperBound, with: "")
        files = witness.files
        files[path] = index
        XCTAssertEqual(PeerWitness(files: files).check().map(\.message), ["'combo' has no peer library and no witness standing in for one"])
    }

    /// A paper witness value the library no longer gives fails like a peer's, at its case.
    func testAPaperWitnessValueTheLibraryNoLongerGivesFails() throws {
        let witness = PeerWitness.compiled
        let path = "\(PeerWitness.folder)/papers.json"
        let text = try XCTUnwrap(witness.files[path])
        let name = "\"name\":\"focal-tversky-default-mean\""
        let at = try XCTUnwrap(text.range(of: name))
        let value = try XCTUnwrap(text.range(of: "\"value\":", range: at.upperBound..<text.endIndex))
        let end = try XCTUnwrap(text.range(of: ",", range: value.upperBound..<text.endIndex))
        let number = try XCTUnwrap(Double(text[value.upperBound..<end.lowerBound]))
        var files = witness.files
        files[path] = text.replacingCharacters(in: value.upperBound..<end.lowerBound, with: String(number * 1.001))
        let found = PeerWitness(files: files).check()
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.path, path)
        XCTAssertTrue(found.first?.message.hasPrefix("'focal-tversky' disagrees with paper (Abraham & Khan 2019") == true, found.first?.message ?? "")
    }

    /// The fingerprint of each provenance folder that the plugin made at compile time is the one
    /// the binary would make of the same compiled-in files (``LossSources/fingerprint(_:)``): the
    /// execution cache's keys and the page memo's identity use it.
    func testTheCompileTimeFingerprintsAreThoseOfTheCompiledInFiles() {
        let folders = Set(CompiledSources.provenance.map(\.folder))
        XCTAssertEqual(Set(CompiledSources.fingerprints.keys), folders)
        for folder in folders.sorted() {
            let files = CompiledSources.files.filter { $0.key.hasPrefix(folder + "/") }
            XCTAssertFalse(files.isEmpty, folder)
            XCTAssertEqual(CompiledSources.fingerprints[folder], LossSources.fingerprint(files), folder)
            XCTAssertEqual(LossSources.compiledFingerprint(folder), LossSources.fingerprint(files), folder)
        }
        XCTAssertEqual(LossSources.compiled(BuildOptions.lossesFolder).fingerprint,
                       LossSources.fingerprint(CompiledSources.files.filter { $0.key.hasPrefix(BuildOptions.lossesFolder + "/") }))
    }

    /// The compiled-in files' hashes come in path order, one per file, each the hash of that
    /// file's text: the build stamp, the page memo's identity and the peer witness's key read them
    /// in that order instead of sorting them in every process.
    func testTheCompiledHashesAreThoseOfTheFilesInPathOrder() {
        let paths = CompiledSources.hashes.map(\.path)
        XCTAssertEqual(paths, CompiledSources.files.keys.sorted())
        for (path, hash) in CompiledSources.hashes {
            XCTAssertEqual(hash, fnv1a64Hex(Array((CompiledSources.files[path] ?? "").utf8)), path)
        }
    }

    /// Every file of code compiled into the binary (all but the default theme and catalog prose)
    /// lies in a folder each build compares with the working folder's copy, found where the
    /// repository has it, and `serve` watches that folder: the plugin's list is the only one.
    func testEveryCompiledCodeFileIsCheckedAgainstTheWorkingFolderAndWatched() throws {
        let repository = SiteFixture.repository
        var options = BuildOptions(contentDirectory: repository.appendingPathComponent("content"),
                                   templatesDirectory: repository.appendingPathComponent("templates"),
                                   outputDirectory: repository.appendingPathComponent("site"), cacheDirectory: nil)
        options.lossSources = repository.appendingPathComponent("Sources/Losses")
        options.referenceSources = repository.appendingPathComponent("Sources/LossReference")
        let folders = options.provenanceFolders
        let code = CompiledSources.files.keys.filter { !$0.hasPrefix(BuiltInTheme.folder + "/") && !$0.hasPrefix(CatalogProse.builtInFolder + "/") }
        XCTAssertFalse(code.isEmpty)
        for path in code.sorted() {
            XCTAssertTrue(folders.contains { path.hasPrefix($0.1 + "/") && path.hasSuffix("." + $0.2) }, "\(path) is compiled in but never compared")
        }
        for (url, folder, kind) in folders {
            var isDirectory: ObjCBool = false
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue, "\(folder) at \(url.path)")
            XCTAssertEqual(url.standardizedFileURL.path, repository.appendingPathComponent(folder).standardizedFileURL.path)
            XCTAssertEqual(LossSources.differences(directory: url, folder: folder, kind: kind), [], folder)
        }
        XCTAssertEqual(Set(options.sourceFolders), Set(folders.map { SiteBuilder.displayPath($0.0) }))
    }

    /// A binary older than the sources beside it stops before computing anything.
    func testSourcesNewerThanTheBinaryStopTheBuild() async throws {
        let site = try SiteFixture("basic")
        defer { site.remove() }
        let (options, sources) = try Self.withCompiledSources(site)
        _ = try await SiteBuilder.build(options) // the same sources as compiled in: builds

        let file = sources.appendingPathComponent("Losses/Generic/L1Loss.swift")
        try (String(contentsOf: file, encoding: .utf8) + "\n// edited after the binary was built\n").write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try await SiteBuilder.build(options)
            XCTFail("a build with sources newer than the binary must fail")
        } catch let diagnostic as Diagnostic {
            XCTAssertEqual(diagnostic.path, "Sources/Losses/Generic/L1Loss.swift")
            XCTAssertEqual(diagnostic.stage, .provenance)
            XCTAssertTrue(diagnostic.hint?.contains("rebuild it first: scripts/build-release.sh") == true)
        }
    }

    /// The provenance check is skipped only when the build stamp shows the compiled-in sources and
    /// their working copies as the last build, which checked them, found them: after a prose edit,
    /// not after a source file's edit (which still stops the build), nor without a stamp.
    func testTheProvenanceCheckIsSkippedOnlyForSourcesTheLastBuildChecked() async throws {
        let site = try SiteFixture("basic")
        defer { site.remove() }
        let (options, sources) = try Self.withCompiledSources(site)
        let first = try await SiteBuilder.build(options)
        XCTAssertTrue(first.provenanceChecked, "no stamp yet")
        let note = site.content.appendingPathComponent("en/focal.md")
        try (String(contentsOf: note, encoding: .utf8) + "\nOne more sentence.\n").write(to: note, atomically: true, encoding: .utf8)
        let edited = try await SiteBuilder.build(options)
        XCTAssertFalse(edited.upToDate)
        XCTAssertFalse(edited.provenanceChecked, "a prose edit: the sources are those the last build checked")

        var noCache = options
        noCache.cacheDirectory = nil
        try (String(contentsOf: note, encoding: .utf8) + "\nAnother.\n").write(to: note, atomically: true, encoding: .utf8)
        let fresh = try await SiteBuilder.build(noCache)
        XCTAssertTrue(fresh.provenanceChecked, "no stamp without a cache folder")

        let file = sources.appendingPathComponent("Losses/Generic/L1Loss.swift")
        try (String(contentsOf: file, encoding: .utf8) + "\n// edited after the binary was built\n").write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try await SiteBuilder.build(options)
            XCTFail("a build with sources newer than the binary must fail, whatever the stamp")
        } catch let diagnostic as Diagnostic {
            XCTAssertEqual(diagnostic.path, "Sources/Losses/Generic/L1Loss.swift")
            XCTAssertEqual(diagnostic.stage, .provenance)
        }
    }

    /// `site`'s options with copies of the loss sources compiled into this binary beside its content
    /// (`Sources/Losses`, `Sources/LossReference`), and their folder.
    private static func withCompiledSources(_ site: SiteFixture) throws -> (BuildOptions, URL) {
        let sources = site.root.appendingPathComponent("Sources")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        for folder in ["Losses", "LossReference"] {
            try FileManager.default.copyItem(at: SiteFixture.repository.appendingPathComponent("Sources/\(folder)"),
                                             to: sources.appendingPathComponent(folder))
        }
        var options = site.options()
        options.lossSources = sources.appendingPathComponent("Losses")
        options.referenceSources = sources.appendingPathComponent("LossReference")
        return (options, sources)
    }

    /// Two execution caches, over the compiled loss sources and over the same sources with a
    /// comment added to `L1Loss.swift`, and an expander to key blocks with.
    static func cachesAroundAnL1Edit() throws -> (before: ExecutionCache, after: ExecutionCache, expander: DirectiveExpander) {
        let compiled = LossSources.compiled("Sources/Losses")
        var files = compiled.files
        let l1 = try XCTUnwrap(files.keys.first { $0.hasSuffix("/L1Loss.swift") })
        files[l1]! += "\n// a comment\n"
        let before = ExecutionCache(folder: nil, sources: compiled, fingerprint: "f")
        let after = ExecutionCache(folder: nil, sources: LossSources(files: files, fingerprint: LossSources.fingerprint(files)), fingerprint: "f")
        return (before, after, DirectiveExpander(language: "en", strings: [:], names: [:], sources: compiled, fix: false))
    }

    /// Touching one loss's file changes the cache key of the blocks that run it, and no other.
    func testOneLossFileInvalidatesOnlyItsBlocks() throws {
        let (before, after, expander) = try Self.cachesAroundAnL1Edit()
        func key(_ cache: ExecutionCache, _ info: String, _ body: String) -> String {
            cache.key(.init(info: info, code: body, line: 1, column: 1), expander: expander)
        }
        let body = "vary: {r: [0, 1]}\n"
        XCTAssertNotEqual(key(before, "loss-table l1", body), key(after, "loss-table l1", body))
        XCTAssertNotEqual(key(before, "loss-table", "losses: [l1, l2]\n" + body), key(after, "loss-table", "losses: [l1, l2]\n" + body))
        var unchanged = 0
        for id in Catalog.ids where id != "l1" {
            XCTAssertEqual(key(before, "loss-table \(id)", body), key(after, "loss-table \(id)", body), "\(id) does not run L1Loss.swift")
            unchanged += 1
        }
        XCTAssertGreaterThan(unchanged, 30)
        // Where a block stands is not part of its key: prose inserted above it re-runs nothing.
        XCTAssertEqual(before.key(.init(info: "loss-table l2", code: body, line: 1, column: 1), expander: expander),
                       before.key(.init(info: "loss-table l2", code: body, line: 40, column: 1), expander: expander))
    }
}
