import Foundation
import XCTest
import _TestSupport
@testable import Site

/// The build stamp's input index (``InputIndex``): a file is read again only when its metadata
/// moved, and a change the metadata could hide (same size, modification time set back, within the
/// timestamp step) still rebuilds the site.
final class BuildStampTests: XCTestCase {
    /// Node.js's version is kept by its executable's identity: read back while the executable is
    /// the same one (what the file says is what comes back, so nothing was run), asked of
    /// `node --version` again when the identity differs, and never kept for a missing Node.
    func testNodeVersionIsKeptByTheExecutablesIdentity() throws {
        let cache = TemporaryFolder.path("node")
        defer { TemporaryFolder.remove(cache) }
        let tools = RenderTools.fromEnvironment()
        let identity = try XCTUnwrap(Preflight.executableIdentity(tools.node))
        let file = cache.appendingPathComponent("node-version")
        let real = try Preflight.nodeVersion(tools)
        XCTAssertEqual(try Preflight.knownNodeVersion(tools, cache: cache), real)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "\(identity)\t\(real)\n")
        try "\(identity)\tkept\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Preflight.knownNodeVersion(tools, cache: cache), "kept")
        try "\(identity)x\tkept\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Preflight.knownNodeVersion(tools, cache: cache), real)
        var missing = tools
        missing.node = "lossbook-no-such-node"
        XCTAssertNil(Preflight.executableIdentity(missing.node))
        XCTAssertThrowsError(try Preflight.knownNodeVersion(missing, cache: cache))
    }

    /// A touched file whose bytes did not change is hashed again, hashes the same, and leaves the
    /// site up to date; the files nobody touched are not read again.
    func testATouchedButUnchangedFileIsHashedAgainAndChangesNothing() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        // Looked at long after the files were written: none is racy, every entry is trusted.
        let later = InputIndex.now() + 3_600_000_000_000
        let (first, firstHash) = walk(fixture.content, kept: InputIndex(), now: later)
        let files = first.entries.count
        XCTAssertEqual(first.hashed, files, "a first look reads every file")
        XCTAssertGreaterThan(files, 3)

        let page = fixture.content.appendingPathComponent("en/index.md")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: page.path)
        let (second, secondHash) = walk(fixture.content, kept: first, now: later)
        XCTAssertEqual(second.hashed, 1, "only the touched file is read again")
        XCTAssertEqual(second.entries[page.path]?.hash, first.entries[page.path]?.hash)
        XCTAssertNotEqual(second.entries[page.path]?.modified, first.entries[page.path]?.modified)
        XCTAssertEqual(secondHash, firstHash, "same bytes, same inputs")

        let (third, thirdHash) = walk(fixture.content, kept: second, now: later)
        XCTAssertEqual(third.hashed, 0, "nothing moved: no file is read")
        XCTAssertEqual(thirdHash, firstHash)
    }

    /// The subfolders of a walk's folder are walked one a thread (``InputIndex``): every file is
    /// still in the index, by its path, nested or not, and where a file is counts: the same bytes
    /// moved to a sibling folder are other inputs, moved back the same ones, renamed other ones.
    func testEveryFileIsIndexedWhereverItIs() throws {
        let root = TemporaryFolder.path("walk")
        defer { TemporaryFolder.remove(root) }
        let fm = FileManager.default
        for folder in ["a/sub", "b", "d"] { try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true) }
        let files = [("a/x.md", "one"), ("a/sub/y.md", "two"), ("b/x.md", "three"), ("c.md", "four")]
        for (file, text) in files {
            try text.write(to: root.appendingPathComponent(file), atomically: false, encoding: .utf8)
        }
        let later = InputIndex.now() + 3_600_000_000_000
        let (first, firstHash) = walk(root, kept: InputIndex(), now: later)
        XCTAssertEqual(Set(first.entries.keys), Set(files.map { root.path + "/" + $0.0 }))
        XCTAssertEqual(first.hashed, files.count, "a first look reads every file")
        XCTAssertEqual(walk(root, kept: first, now: later).1, firstHash, "the same files, the same inputs")

        try fm.moveItem(at: root.appendingPathComponent("b/x.md"), to: root.appendingPathComponent("d/x.md"))
        let (moved, movedHash) = walk(root, kept: first, now: later)
        XCTAssertNotEqual(movedHash, firstHash, "a file moved to another folder")
        XCTAssertNil(moved.entries[root.path + "/b/x.md"])
        XCTAssertNotNil(moved.entries[root.path + "/d/x.md"])
        try fm.moveItem(at: root.appendingPathComponent("d/x.md"), to: root.appendingPathComponent("b/x.md"))
        XCTAssertEqual(walk(root, kept: moved, now: later).1, firstHash)

        // Renamed in its folder, alone there: only its name tells the inputs apart.
        try fm.moveItem(at: root.appendingPathComponent("b/x.md"), to: root.appendingPathComponent("b/w.md"))
        XCTAssertNotEqual(walk(root, kept: first, now: later).1, firstHash, "a file renamed in its folder")
    }

    /// A folder linked into itself (a symbolic link to an ancestor) is walked once: the walk ends,
    /// finds each file under the path it reached first, and gives the same inputs every time. A
    /// folder reached twice, but not inside itself, is walked both times.
    func testAFolderLinkedIntoItselfIsWalkedOnce() throws {
        let root = TemporaryFolder.path("cycle")
        defer { TemporaryFolder.remove(root) }
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("en/sub"), withIntermediateDirectories: true)
        try "one".write(to: root.appendingPathComponent("en/a.md"), atomically: false, encoding: .utf8)
        try "two".write(to: root.appendingPathComponent("en/sub/b.md"), atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(at: root.appendingPathComponent("en/sub/up"), withDestinationURL: root.appendingPathComponent("en"))
        // A link to a folder beside it, not above it, is walked like the folder itself.
        try fm.createSymbolicLink(at: root.appendingPathComponent("en/again"), withDestinationURL: root.appendingPathComponent("en/sub"))
        let later = InputIndex.now() + 3_600_000_000_000
        let (first, firstHash) = walk(root, kept: InputIndex(), now: later)
        XCTAssertEqual(Set(first.entries.keys), [root.path + "/en/a.md", root.path + "/en/again/b.md", root.path + "/en/sub/b.md"])
        XCTAssertEqual(walk(root, kept: first, now: later).1, firstHash)
        try fm.removeItem(at: root.appendingPathComponent("en/sub/up"))
        XCTAssertNotEqual(walk(root, kept: first, now: later).1, firstHash, "the link was an input")
    }

    /// KaTeX's and highlight.js's files are inputs of the stamp, by their bytes (through the
    /// index, like the content): an edited `katex.js` is other inputs, its old bytes again the same.
    func testTheLibrariesFilesAreInputs() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let katex = TemporaryFolder.path("katex")
        defer { TemporaryFolder.remove(katex) }
        try FileManager.default.createDirectory(at: katex, withIntermediateDirectories: true)
        let script = katex.appendingPathComponent("katex.js")
        try "katex one".write(to: script, atomically: false, encoding: .utf8)
        var options = fixture.options()
        options.tools.katexDirectory = katex.path
        func inputs() throws -> String { try XCTUnwrap(BuildStamp(options: options, tools: nil)).inputs }
        let first = try inputs()
        XCTAssertEqual(try inputs(), first)
        try "katex two".write(to: script, atomically: false, encoding: .utf8)
        XCTAssertNotEqual(try inputs(), first)
        try "katex one".write(to: script, atomically: false, encoding: .utf8)
        XCTAssertEqual(try inputs(), first)
        // The macros are `lossbook.yaml`'s, a file of the content: the stamp covers them without reading it.
        let config = fixture.content.appendingPathComponent("lossbook.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "\\R: \\mathbb{R}", with: "\\R: \\mathbf{R}").write(to: config, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try inputs(), first, "the macros are inputs too")
    }

    /// Another executable (built again, its rendering code perhaps changed where no compiled-in
    /// source shows it) finds the last build's inputs changed: the site is built anew.
    func testAnotherExecutableFindsTheInputsChanged() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        func inputs(_ binary: String = PageMemo.binaryStamp()) throws -> String {
            try XCTUnwrap(BuildStamp(options: options, tools: nil, binary: binary)).inputs
        }
        XCTAssertEqual(try XCTUnwrap(BuildStamp(options: options, tools: nil)).inputs, try inputs(), "this executable's, by default")
        XCTAssertNotEqual(try inputs(PageMemo.binaryStamp() + " rebuilt"), try inputs())
    }

    /// The last build's warnings are taken as its stamp printed them only by the executable that
    /// wrote it: another may word them otherwise (its text would be printed for warnings whose
    /// fields are the same).
    func testAnotherExecutableDoesNotTakeTheLastBuildsWarningsText() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        let report = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(report.warningCount, 0, "the test's premise: a build with warnings")
        XCTAssertEqual(BuildStamp(options: options, tools: nil)?.previousWarnings?.count, report.warningCount)
        XCTAssertNil(BuildStamp(options: options, tools: nil, binary: PageMemo.binaryStamp() + " rebuilt")?.previousWarnings)
    }

    /// A file rewritten in place with bytes of the same size and its modification time set back
    /// keeps its size, modification time and inode: its status-change time gives it away.
    func testAChangedFileOfTheSameSizeAndModificationTimeIsHashedAgain() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let later = InputIndex.now() + 3_600_000_000_000
        let page = fixture.content.appendingPathComponent("en/index.md")
        let (first, firstHash) = walk(fixture.content, kept: InputIndex(), now: later)
        let before = try XCTUnwrap(first.entries[page.path])
        try rewriteInPlace(page, keepingModificationTimeOf: before)
        let (second, secondHash) = walk(fixture.content, kept: first, now: later)
        let after = try XCTUnwrap(second.entries[page.path])
        XCTAssertEqual([after.size, after.modified], [before.size, before.modified], "the test's premise: size and time as before")
        XCTAssertEqual(after.inode, before.inode, "the test's premise: the same file")
        XCTAssertEqual(second.hashed, 1)
        XCTAssertNotEqual(after.hash, before.hash)
        XCTAssertNotEqual(secondHash, firstHash)
    }

    /// Files changed less than ``InputIndex/racyMargin(changed:)`` before the look are read again
    /// next time, even with every field of their metadata as kept: a change within the timestamp
    /// step could hide.
    func testFilesChangedJustBeforeTheLookAreReadAgain() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        // Looked at just after the last file was written (its change time, plus a millisecond).
        let (look, _) = walk(fixture.content, kept: InputIndex(), now: InputIndex.now())
        let lastChange = try XCTUnwrap(look.entries.values.map(\.changed).max())
        let now = lastChange + 1_000_000
        let (first, firstHash) = walk(fixture.content, kept: InputIndex(), now: now)
        let racy = first.entries.filter(\.value.racy)
        XCTAssertFalse(racy.isEmpty, "the last file written is racy")
        for (path, entry) in first.entries {
            XCTAssertEqual(entry.racy, entry.changed > now - InputIndex.racyMargin(changed: entry.changed), path)
        }
        XCTAssertEqual(first.hashedAndTrusted, first.entries.count - racy.count)
        let (second, secondHash) = walk(fixture.content, kept: first, now: now)
        XCTAssertEqual(second.hashed, racy.count, "only the racy entries are read again")
        XCTAssertEqual(second.hashedAndTrusted, 0, "read again, and racy still: a stamp saved with them saves nothing")
        XCTAssertEqual(secondHash, firstHash)
        let later = InputIndex.now() + 3_600_000_000_000
        let (third, _) = walk(fixture.content, kept: second, now: later)
        XCTAssertEqual(third.hashed, racy.count, "racy entries are not trusted, whatever the later look")
        XCTAssertEqual(third.hashedAndTrusted, racy.count)
        XCTAssertFalse(third.entries.values.contains(where: \.racy))
        let (fourth, _) = walk(fixture.content, kept: third, now: later)
        XCTAssertEqual(fourth.hashed, 0)
        // Sixty milliseconds after the last change, a fine file system's times are trusted, a
        // coarse one's (whole seconds) not yet.
        let (settled, _) = walk(fixture.content, kept: InputIndex(), now: lastChange + 60_000_000)
        for (path, entry) in settled.entries {
            XCTAssertEqual(entry.racy, entry.changed % 1_000_000_000 == 0, path)
        }
    }

    /// Racy entries looked at again once their margin has passed (``InputIndex/settle(now:)``) are
    /// trusted when their file kept its metadata and its bytes; a file written since stays racy.
    func testRacyEntriesOfUnchangedFilesAreTrustedOnceSettled() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let (look, _) = walk(fixture.content, kept: InputIndex(), now: InputIndex.now())
        let lastChange = try XCTUnwrap(look.entries.values.map(\.changed).max())
        var index = walk(fixture.content, kept: InputIndex(), now: lastChange + 1_000_000).0
        let racy = Set(index.entries.filter(\.value.racy).keys)
        XCTAssertFalse(racy.isEmpty)
        index.settle(now: lastChange + 2_000_000)
        XCTAssertEqual(Set(index.entries.filter(\.value.racy).keys), racy, "the margin has not passed: nothing is settled")

        // One racy file rewritten with the same bytes: its change time moved (past two ticks of the
        // coarsest kernel clock, 10 ms), so it stays racy.
        let written = try XCTUnwrap(racy.first)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: written))
        while InputIndex.now() <= lastChange + 25_000_000 { usleep(1_000) }
        try bytes.write(to: URL(fileURLWithPath: written))
        var info = stat()
        XCTAssertEqual(stat(written, &info), 0)
        XCTAssertNotEqual(InputIndex.nanoseconds(info.st_ctim), index.entries[written]?.changed)
        index.settle(now: InputIndex.now() + 3_600_000_000_000)
        XCTAssertEqual(Set(index.entries.filter(\.value.racy).keys), [written])
        let (next, _) = walk(fixture.content, kept: index, now: InputIndex.now() + 3_600_000_000_000)
        XCTAssertEqual(next.hashed, 1, "only the file written since is read again")
    }

    /// A change time with a sub-second part is a fine file system's: trusted 50 ms after it. A
    /// whole second may be a coarse one's (FAT keeps two-second steps): trusted two seconds after.
    func testTheRacyMarginFollowsTheFileSystemsTimestampStep() {
        let second: Int64 = 1_000_000_000
        XCTAssertEqual(InputIndex.racyMargin(changed: 1_700_000_000 * second), 2 * second)
        XCTAssertEqual(InputIndex.racyMargin(changed: 1_700_000_000 * second + 4_000_000), 50_000_000)
        XCTAssertEqual(InputIndex.racyMargin(changed: 1_700_000_000 * second + 1), 50_000_000)
    }


    /// The walk hashes a file's path in pieces and joins a child's path in one allocation: both
    /// give what the joined strings gave, so a stamp written before reads the same inputs.
    func testPathsHashedInPiecesAndJoinedAreThoseOfTheJoinedStrings() {
        let parts = [("", ""), ("", "a.md"), ("/en", "p1.md"), ("/zh/损失", "交叉熵.md"), ("/a b", "c\u{301}.md")]
        for (folder, name) in parts {
            var pieces = StampHasher(), whole = StampHasher(), other = StampHasher()
            pieces.add("file ", folder, "/", name)
            whole.add("file " + folder + "/" + name)
            other.add("file " + folder + name)
            XCTAssertEqual(pieces.value, whole.value, "\(folder) \(name)")
            XCTAssertNotEqual(pieces.value, other.value, "the separator is hashed: \(folder) \(name)")
            XCTAssertEqual(InputIndex.joined(folder, name), folder + "/" + name)
        }
        var provenance = StampHasher(), line = StampHasher()
        provenance.add("", "Sources/Losses/Core/Tensor.swift", "=", "0ab4c6945e9b8001")
        line.add("Sources/Losses/Core/Tensor.swift=0ab4c6945e9b8001")
        XCTAssertEqual(provenance.value, line.value)
    }
    /// The racy case end to end: a build, then at once the same-size edit with the modification
    /// time set back. The next build writes the new text instead of calling the site unchanged.
    func testAnEditRightAfterABuildWithTheSameSizeAndTimeRebuildsTheSite() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let page = fixture.content.appendingPathComponent("en/index.md")
        let stamp = try XCTUnwrap(BuildStamp.read(fixture.root.appendingPathComponent(".cache/build-stamp")))
        let before = try XCTUnwrap(stamp.index.entries[page.path], "the build's look at the page")
        try rewriteInPlace(page, keepingModificationTimeOf: before)
        let report = try await fixture.build()
        XCTAssertFalse(report.upToDate, "an edit the metadata hides passed for an unchanged site")
        XCTAssertTrue(try fixture.read("en/index.html").contains("Welcomf"))
        let again = try await fixture.build()
        XCTAssertTrue(again.upToDate)
    }

    /// A skipped build that read files again (touched, or racy when last looked at) saves the
    /// stamp with their new metadata: otherwise every later skipped build reads them all again
    /// (a corpus built at once after being written: every note, every time). Its warnings and
    /// counts stay the first build's.
    func testASkippedBuildThatReadFilesAgainKeepsTheirNewMetadata() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let first = try await fixture.build()
        XCTAssertGreaterThan(first.warningCount, 0, "the fixture has warnings to keep")
        let stampFile = fixture.root.appendingPathComponent(".cache/build-stamp")
        let page = fixture.content.appendingPathComponent("en/index.md")
        let before = try XCTUnwrap(BuildStamp.read(stampFile)?.index.entries[page.path])
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: page.path)
        // Past the touch's racy margin: read again and trusted (a file still racy is not worth a save).
        var info = stat()
        XCTAssertEqual(stat(page.path, &info), 0)
        let changed = InputIndex.nanoseconds(info.st_ctim)
        while InputIndex.now() <= changed + InputIndex.racyMargin(changed: changed) + 5_000_000 { usleep(5_000) }
        let touched = try await fixture.build()
        XCTAssertTrue(touched.upToDate, "same bytes: nothing to do")
        XCTAssertEqual(touched.keptWarnings?.isDecoded, false, "its save took the kept blocks, its warnings not made into diagnostics")
        let stamp = try XCTUnwrap(BuildStamp.read(stampFile))
        let after = try XCTUnwrap(stamp.index.entries[page.path])
        XCTAssertNotEqual(after.modified, before.modified, "the stamp still holds the page's old metadata")
        XCTAssertEqual(after.hash, before.hash)
        XCTAssertEqual(stamp.report.keptWarnings?.diagnostics.map(\.description), first.warnings.map(\.description))
        XCTAssertEqual(stamp.report.pages, first.pages)
        let again = try await fixture.build()
        XCTAssertTrue(again.upToDate)
        XCTAssertEqual(again.warnings.map(\.description), first.warnings.map(\.description))
    }

    /// A build saves its stamp with the entries it found racy looked at again (their margin passed
    /// while it built): a note written just before the build is trusted by the next one.
    func testABuildTrustsTheNotesWrittenJustBeforeIt() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let page = fixture.content.appendingPathComponent("en/index.md")
        let bytes = try Data(contentsOf: page)
        try bytes.write(to: page)
        try await fixture.build()
        let stamp = try XCTUnwrap(BuildStamp.read(fixture.root.appendingPathComponent(".cache/build-stamp")))
        let entry = try XCTUnwrap(stamp.index.entries[page.path])
        XCTAssertFalse(entry.racy, "written just before the build, and not looked at again")
        XCTAssertFalse(stamp.index.entries.values.contains(where: \.racy))
    }

    /// The warnings a skipped build repeats are the first build's, field by field, through texts
    /// holding the stamp's separators and escapes.
    func testTheStampKeepsWarningsExactly() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        var report = BuildReport()
        report.pages = 5
        var plain = Diagnostic("content/en/a b.md", line: 3, column: 9, stage: .proseNumbers, "the loss is 0.4321")
        plain.isWarning = true
        var odd = Diagnostic("content/zh/\t焦点.md", line: 12, column: 1, stage: .translations, "a\\tb\nline two\r\\", hint: "")
        odd.isWarning = true
        let error = Diagnostic("x.md", stage: .links, "tab\there", hint: "back\\slash\\n")
        report.warnings = [plain, odd, error]
        let stamp = try XCTUnwrap(BuildStamp(options: fixture.options(), tools: nil))
        stamp.save(report, output: fixture.output)
        let read = try XCTUnwrap(BuildStamp.read(stamp.file))
        // As a skipped build prints them: the lines the build printed, kept as they are.
        let kept = try XCTUnwrap(read.report.keptWarnings)
        XCTAssertEqual(kept.count, 3)
        XCTAssertEqual(read.report.warningCount, 3)
        var printed: [UInt8] = []
        for warning in report.warnings {
            warning.appendDescription(to: &printed)
            printed.append(0x0A)
        }
        XCTAssertEqual(Array(kept.text), printed)
        XCTAssertEqual(read.report.warnings, report.warnings)
        XCTAssertEqual(read.report.pages, 5)
        XCTAssertEqual(read.index.entries, stamp.index.entries)
        XCTAssertEqual(read.inputs, stamp.inputs)
    }

    /// A page's warnings share their path and hint: the reader reuses the previous record's text
    /// only for the same bytes (a path that differs in its last byte, a hint that comes and goes).
    func testConsecutiveWarningsSharingFieldsReadBackExactly() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        func warning(_ path: String, _ line: Int, _ message: String, hint: String?) -> Diagnostic {
            var warning = Diagnostic(path, line: line, column: 2, stage: .proseNumbers, message, hint: hint)
            warning.isWarning = true
            return warning
        }
        var report = BuildReport()
        report.warnings = [warning("content/en/p1.md", 3, "number '0.1'", hint: "cite it"),
                           warning("content/en/p1.md", 4, "number '0.2'", hint: "cite it"),
                           warning("content/en/p1.md", 5, "number '0.2'", hint: nil),
                           warning("content/en/p2.md", 5, "number '0.2'", hint: "cite it"),
                           warning("content/en/p2.md", 6, "number\t'0.3'", hint: "cite\nit"),
                           warning("content/en/p2.md", 7, "number\t'0.3'", hint: "cite it")]
        let stamp = try XCTUnwrap(BuildStamp(options: fixture.options(), tools: nil))
        stamp.save(report, output: fixture.output)
        XCTAssertEqual(try XCTUnwrap(BuildStamp.read(stamp.file)).report.warnings, report.warnings)
    }

    /// A stamp cut short, with an unknown record or a malformed field, is no stamp: the build runs.
    /// A warning's `w` line and an input file's `f` line, written field by field without strings,
    /// are the lines their fields as texts make (``BuildStamp/append(_:to:)``): escapes, signs,
    /// extreme numbers, a hint or none.
    func testRecordsAreTheLinesOfTheirFieldsAsTexts() {
        var error = Diagnostic("a\tb\\c.md", line: 0, column: Int.max, stage: .output, "two\nlines\r", hint: nil)
        error.isWarning = false
        var negative = Diagnostic("p.md", line: -1, column: Int.min, stage: .frontMatter, "", hint: "")
        negative.isWarning = true
        for warning in [Diagnostic("en/p1.md", line: 31, column: 8, stage: .execute, "number '0.77' typed", hint: "a hint\t"), error, negative] {
            var made: [UInt8] = [], joined: [UInt8] = []
            BuildStamp.appendRecord(of: warning, to: &made)
            BuildStamp.append(["w", warning.isWarning ? "warning" : "error", warning.stage.rawValue, warning.path, String(warning.line),
                               String(warning.column), warning.message] + (warning.hint.map { [$0] } ?? []), to: &joined)
            XCTAssertEqual(String(decoding: made, as: UTF8.self), String(decoding: joined, as: UTF8.self))
        }
        let entries = [InputIndex.Entry(size: 0, modified: -1_500_000_000_123, changed: Int64.max, inode: UInt64.max, device: 0,
                                        hash: 0xdead_beef_0123_4567, racy: true),
                       InputIndex.Entry(size: 9, modified: Int64.min, changed: 1, inode: 10, device: 2049, hash: 0, racy: false)]
        for (entry, path) in zip(entries, ["/tmp/x/content/en/p1.md", "/a\tb\n"]) {
            var made: [UInt8] = [], joined: [UInt8] = []
            BuildStamp.appendRecord(of: entry, at: path, to: &made)
            BuildStamp.append(["f", String(entry.size), String(entry.modified), String(entry.changed), String(entry.inode), String(entry.device),
                               String(entry.hash, radix: 16), entry.racy ? "racy" : "-", path], to: &joined)
            XCTAssertEqual(String(decoding: made, as: UTF8.self), String(decoding: joined, as: UTF8.self))
        }
    }

    /// A warning's line is found where its bytes are (``BuildStamp/recordEnd(of:in:at:)``) exactly
    /// when ``BuildStamp/appendRecord(of:to:)`` writes the same bytes: random warnings over an
    /// alphabet of the escaped bytes, a backslash's look-alikes and a multibyte letter, each against
    /// every other's line, its own line followed by more bytes, and its own line cut short.
    func testARecordIsFoundExactlyWhereItsLineIs() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = ["a", "\\", "\t", "t", "\n", "n", "\r", "\\t", "焦", ".", "0"]
        func text() -> String { (0..<Int.random(in: 0...3, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined() }
        let stages: [Diagnostic.Stage] = [.proseNumbers, .links, .output]
        var warnings: [Diagnostic] = []
        for _ in 0..<300 {
            var warning = Diagnostic(text(), line: Int.random(in: -2...12, using: &generator), column: [0, 9, 10, Int.max, Int.min].randomElement(using: &generator)!,
                                     stage: stages.randomElement(using: &generator)!, text(), hint: Bool.random(using: &generator) ? text() : nil)
            warning.isWarning = Bool.random(using: &generator)
            warnings.append(warning)
        }
        warnings += warnings.prefix(10) // the same warning twice: the found branch beyond a warning's own line
        let lines = warnings.map { warning -> [UInt8] in
            var line: [UInt8] = []
            BuildStamp.appendRecord(of: warning, to: &line)
            return line
        }
        var equalPairs = 0
        for (warning, own) in zip(warnings, lines) {
            for other in lines {
                let found = other.withUnsafeBytes { BuildStamp.recordEnd(of: warning, in: $0, at: 0) }
                XCTAssertEqual(found, own == other ? own.count : nil, "\(warning) in \(String(decoding: other, as: UTF8.self))")
                if own == other { equalPairs += 1 }
            }
            // Warnings that differ from it in one field by one symbol, or a number by one.
            func edited(_ text: String) -> String {
                var symbols = text.map(String.init)
                let place = Int.random(in: 0...symbols.count, using: &generator)
                if place < symbols.count, Bool.random(using: &generator) {
                    symbols[place] = alphabet.randomElement(using: &generator)!
                } else {
                    symbols.insert(alphabet.randomElement(using: &generator)!, at: place)
                }
                return symbols.joined()
            }
            var near = [warning, warning, warning, warning, warning, warning, warning]
            near[0].path = edited(warning.path)
            near[1].message = edited(warning.message)
            near[2].hint = warning.hint.map(edited) ?? ""
            near[3].line = warning.line + (Bool.random(using: &generator) ? 1 : -1)
            near[4].column = warning.column &- 1
            near[5].isWarning.toggle()
            near[6].stage = stages.filter { $0 != warning.stage }.randomElement(using: &generator)!
            for other in near {
                var line: [UInt8] = []
                BuildStamp.appendRecord(of: other, to: &line)
                let found = own.withUnsafeBytes { BuildStamp.recordEnd(of: other, in: $0, at: 0) }
                XCTAssertEqual(found, line == own ? own.count : nil, "\(other) in \(String(decoding: own, as: UTF8.self))")
            }
            let longer = Array("xy".utf8) + own + Array("w\t".utf8)
            XCTAssertEqual(longer.withUnsafeBytes { BuildStamp.recordEnd(of: warning, in: $0, at: 2) }, own.count + 2)
            for cut in [own.count - 1, own.count / 2, 1] {
                XCTAssertNil(Array(own[..<cut]).withUnsafeBytes { BuildStamp.recordEnd(of: warning, in: $0, at: 0) }, "cut at \(cut)")
            }
        }
        XCTAssertGreaterThanOrEqual(equalPairs, warnings.count + 20)
    }

    /// A stamp's numbers are read from its bytes as `Int64(String, radix:)`, `UInt64(…)` and
    /// `Int(…)` read them: signs, extremes, one past them, letters of either case, empty fields,
    /// stray bytes, and random digit strings in both radixes.
    func testNumbersAreReadAsTheStandardLibraryReadsThem() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789abcdefABCDEFxz+- ".utf8)
        var cases = ["", "-", "+", "0", "-0", "+7", "007", "12a", "ff", "FF", "fF", " 1", "1 ", "--1", "+-1",
                     String(Int64.max), String(Int64.min), "9223372036854775808", "-9223372036854775809",
                     String(UInt64.max), "18446744073709551616", String(UInt64.max, radix: 16), "1" + String(UInt64.max, radix: 16),
                     "-8000000000000000", "7fffffffffffffff", "8000000000000000",
                     // Around the unchecked reading's limits: 19 decimal digits, 16 hexadecimal ones.
                     "9999999999999999999", "10000000000000000000", "0000000000000000001", "999999999999999999a",
                     "9223372036854775807", "9223372036854775808", "1796514439685592523",
                     "ffffffffffffffff", "FFFFFFFFFFFFFFFF", "0ffffffffffffffff", "fffffffffffffffg", "12345678:"]
        cases += (0..<400).map { _ in String(decoding: (0..<Int.random(in: 1...22, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self) }
        cases += (0..<200).map { _ in String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: Bool.random(using: &generator) ? 10 : 16) }
        for text in cases {
            Array(text.utf8).withUnsafeBufferPointer { field in
                for radix in [10, 16] {
                    XCTAssertEqual(Int64(ascii: field, radix: radix), Int64(text, radix: radix), "'\(text)' radix \(radix)")
                    XCTAssertEqual(UInt64(ascii: field, radix: radix), UInt64(text, radix: radix), "'\(text)' radix \(radix)")
                }
                XCTAssertEqual(Int(ascii: field), Int(text), "'\(text)'")
            }
        }
    }

    /// The stamp's warning text is counted line by line with `memchr`: the same count as byte by
    /// byte, wherever the newlines are (none, first, last, adjacent, in a slice not at 0).
    func testLinesAreCountedAsByteByByte() {
        var generator = SystemRandomNumberGenerator()
        let cases: [[UInt8]] = [[], [0x0A], [0x0A, 0x0A], Array("a\nb".utf8), Array("\nab\n\n".utf8)]
            + (0..<50).map { _ in (0..<Int.random(in: 0...300, using: &generator)).map { _ in [0x0A, 0x61, 0xE4][Int.random(in: 0...2, using: &generator)] } }
        for bytes in cases {
            for start in [0, min(1, bytes.count), bytes.count / 2] {
                let slice = bytes[start...]
                XCTAssertEqual(slice.withUnsafeBufferPointer(BuildStamp.lineCount), slice.count(where: { $0 == 0x0A }), "\(bytes) from \(start)")
            }
        }
    }

    func testADamagedStampIsNotRead() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        var report = BuildReport()
        var warning = Diagnostic("content/en/a.md", line: 3, column: 9, stage: .proseNumbers, "the loss is 0.4321")
        warning.isWarning = true
        report.warnings = [warning]
        let stamp = try XCTUnwrap(BuildStamp(options: fixture.options(), tools: nil))
        stamp.save(report, output: fixture.output)
        let good = try String(contentsOf: stamp.file, encoding: .utf8)
        XCTAssertNotNil(BuildStamp.read(stamp.file))
        let lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let warningLine = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("w\t") })
        let blocks = lines[4].split(separator: " ").compactMap { Int($0) }
        XCTAssertEqual(blocks.count, 3)
        var damaged = ["header cut": lines[0..<3].joined(separator: "\n") + "\n",
                       "printed lines one byte longer": good.replacingOccurrences(
                           of: "\n\(lines[4])\n", with: "\n\(blocks[0]) \(blocks[1] + 1) \(blocks[2] - 1)\n"),
                       "one printed line too many": good.replacingOccurrences(
                           of: "\n\(lines[4])\n", with: "\n\(blocks[0] + 1) \(blocks[1]) \(blocks[2])\n"),
                       "unknown record": good + "x\tsomething\n",
                       "two fields in the header": good.replacingOccurrences(of: BuildStamp.format, with: BuildStamp.format + "\tmore")]
        // Each of the same length, so that the blocks' lengths still agree and the line's check finds it.
        for (name, change) in [("unknown stage", { (l: String) in l.replacingOccurrences(of: "prose-numbers", with: "prose-numberz") }),
                               ("line not a number", { (l: String) in l.replacingOccurrences(of: "\t3\t9\t", with: "\tx\t9\t") }),
                               ("a field missing", { (l: String) in l.replacingOccurrences(of: "\t3\t9\t", with: "\t3\t9 ") })] {
            var edited = lines
            edited[warningLine] = change(edited[warningLine])
            XCTAssertNotEqual(edited, lines, name)
            damaged[name] = edited.joined(separator: "\n")
        }
        for (name, text) in damaged {
            try text.write(to: stamp.file, atomically: true, encoding: .utf8)
            XCTAssertNil(BuildStamp.read(stamp.file), name)
        }
    }

    /// A build that prints a skipped build's warnings as their text does not check their fields
    /// when it reads the stamp; asked for them anyway, it checks them then, and damaged fields
    /// give none (the text still reads as saved).
    func testWarningFieldsAreCheckedOnlyWhenShown() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        var report = BuildReport()
        let warnings = [3, 4].map { line in
            var warning = Diagnostic("content/en/a.md", line: line, column: 9, stage: .proseNumbers, "the loss is 0.4321")
            warning.isWarning = true
            return warning
        }
        report.warnings = warnings
        let stamp = try XCTUnwrap(BuildStamp(options: fixture.options(), tools: nil))
        stamp.save(report, output: fixture.output)
        let good = try String(contentsOf: stamp.file, encoding: .utf8)
        let text = try XCTUnwrap(BuildStamp.read(stamp.file)?.report.keptWarnings?.text)
        XCTAssertEqual(BuildStamp.read(stamp.file, checkingFields: false)?.report.warnings, warnings, "intact fields, checked late")
        // The second warning's line number, in a field of the same length (the blocks' lengths still agree).
        try good.replacingOccurrences(of: "\t4\t9\t", with: "\tx\t9\t").write(to: stamp.file, atomically: true, encoding: .utf8)
        XCTAssertNil(BuildStamp.read(stamp.file), "checked when read")
        let unchecked = try XCTUnwrap(BuildStamp.read(stamp.file, checkingFields: false)?.report.keptWarnings)
        XCTAssertEqual(unchecked.text, text)
        XCTAssertEqual(unchecked.count, 2)
        XCTAssertEqual(unchecked.diagnostics, [], "damaged fields read as none, not as far as they are whole")
    }

    /// A read stamp's warnings are those of the file as it was read (mapped): a later
    /// build's stamp, renamed over it, changes neither their text nor their fields (read late).
    func testKeptWarningsAreThoseOfTheStampAsRead() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        func report(_ message: String) -> BuildReport {
            var warning = Diagnostic("content/en/a.md", line: 3, column: 9, stage: .proseNumbers, message)
            warning.isWarning = true
            var report = BuildReport()
            report.warnings = [warning]
            return report
        }
        let stamp = try XCTUnwrap(BuildStamp(options: fixture.options(), tools: nil))
        let first = report("the loss is 0.4321"), second = report("the loss is 0.1234, and longer")
        stamp.save(first, output: fixture.output)
        let kept = try XCTUnwrap(BuildStamp.read(stamp.file, checkingFields: false)?.report.keptWarnings)
        stamp.save(second, output: fixture.output)
        XCTAssertEqual(BuildStamp.read(stamp.file)?.report.warnings, second.warnings, "the new stamp reads as saved")
        XCTAssertEqual(String(decoding: kept.text, as: UTF8.self), first.warnings[0].description + "\n")
        XCTAssertEqual(kept.diagnostics, first.warnings)
    }

    /// The warnings' blocks are the last stamp's bytes when the warnings are the last build's, in
    /// the same order; a warning changed in any field the text or its line shows, added, dropped
    /// or moved, makes them anew. Either way the stamp reads back as the warnings saved.
    func testTheLastStampsWarningBlocksAreTakenOnlyForTheSameWarnings() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        func warning(_ path: String, _ message: String, hint: String? = nil) -> Diagnostic {
            var warning = Diagnostic(path, line: 3, column: 9, stage: .proseNumbers, message, hint: hint)
            warning.isWarning = true
            return warning
        }
        let warnings = [warning("content/en/a.md", "the loss is 0.4321", hint: "compute it"), warning("content/zh/\t焦点.md", "a\tb\nc"),
                        warning("content/en/b.md", "the loss is 0.5")]
        var report = BuildReport()
        report.warnings = warnings
        let stamp = try XCTUnwrap(BuildStamp(options: fixture.options(), tools: nil))
        stamp.save(report, output: fixture.output)
        let kept = try XCTUnwrap(BuildStamp.read(stamp.file, checkingFields: false)?.report.keptWarnings)
        let index = InputIndex()
        let made = BuildStamp.Blocks(warnings: warnings, index: index)
        XCTAssertFalse(made.keptWarnings)
        let same = BuildStamp.Blocks(warnings: warnings, index: index, previous: kept)
        XCTAssertTrue(same.keptWarnings, "the same warnings: the last stamp's blocks")
        XCTAssertEqual(same.text.data, made.text.data)
        XCTAssertEqual(same.records.data, made.records.data)

        var changedHint = warnings
        changedHint[0].hint = nil
        var changedLine = warnings
        changedLine[2].line = 4
        var changedKind = warnings
        changedKind[1].isWarning = false
        for (name, other) in [("a hint dropped", changedHint), ("a line moved", changedLine), ("a warning made an error", changedKind),
                              ("one more", warnings + [warnings[0]]), ("one fewer", Array(warnings.dropLast())),
                              ("reordered", [warnings[1], warnings[0], warnings[2]]), ("none", [])] {
            let blocks = BuildStamp.Blocks(warnings: other, index: index, previous: kept)
            XCTAssertFalse(blocks.keptWarnings, name)
            XCTAssertEqual(blocks.text.data, BuildStamp.Blocks(warnings: other, index: index).text.data, name)
            var again = BuildReport()
            again.warnings = other
            stamp.save(again, output: fixture.output, blocks: blocks)
            XCTAssertEqual(BuildStamp.read(stamp.file)?.report.warnings, other, name)
        }
        // Saved from the kept blocks (the last stamp's file mapped while it is replaced), it reads back the same.
        let keptAgain = try XCTUnwrap(BuildStamp.read(stamp.file, checkingFields: false)?.report.keptWarnings)
        stamp.save(report, output: fixture.output)
        let fromKept = try XCTUnwrap(BuildStamp.read(stamp.file, checkingFields: false)?.report.keptWarnings)
        stamp.save(report, output: fixture.output, blocks: BuildStamp.Blocks(warnings: warnings, index: stamp.index, previous: fromKept))
        XCTAssertEqual(BuildStamp.read(stamp.file)?.report.warnings, warnings)
        XCTAssertEqual(keptAgain.count, 0)
    }

    /// The hasher's forms fed without making strings hash as the strings they stand for.
    func testTheHashersStringFreeFormsHashAsTheirStrings() {
        var generator = SystemRandomNumberGenerator()
        let values: [UInt64] = [0, 1, 9, 10, 15, 16, 255, 256, UInt64.max, UInt64.max >> 4, 1 << 63]
            + (0..<200).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator) }
        for value in values {
            var joined = StampHasher(), made = StampHasher()
            joined.add("x"); made.add("x")
            joined.add(String(value, radix: 16)); made.addHex(value)
            XCTAssertEqual(made.value, joined.value, String(value, radix: 16))
        }
        for text in ["", "/en/a.md", "/中文/笔记.md", String(repeating: "/a", count: 300)] {
            var joined = StampHasher(), made = StampHasher()
            joined.add("file \(text)"); made.add("file ", text)
            XCTAssertEqual(made.value, joined.value, text)
        }
    }

    private func walk(_ folder: URL, kept: InputIndex, now: Int64) -> (InputIndex, String) {
        var index = InputIndex()
        var hasher = StampHasher()
        index.walk(folder, kept: kept, now: now, into: &hasher)
        return (index, hasher.value)
    }

    /// Replaces `Welcome` by `Welcomf` in place (same inode, same size), after the kernel's
    /// clock has moved past the entry's status-change time, then sets its modification time back.
    private func rewriteInPlace(_ file: URL, keepingModificationTimeOf entry: InputIndex.Entry) throws {
        let old = try String(contentsOf: file, encoding: .utf8)
        let text = old.replacingOccurrences(of: "Welcome", with: "Welcomf")
        XCTAssertNotEqual(text, old)
        while InputIndex.now() <= entry.changed + 20_000_000 { usleep(5_000) }
        let handle = try FileHandle(forWritingTo: file)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
        var times = [timespec(tv_sec: Int(entry.modified / 1_000_000_000), tv_nsec: Int(entry.modified % 1_000_000_000)),
                     timespec(tv_sec: Int(entry.modified / 1_000_000_000), tv_nsec: Int(entry.modified % 1_000_000_000))]
        XCTAssertEqual(utimensat(AT_FDCWD, file.path, &times, 0), 0)
    }

    /// The scan for bytes a field escapes (``BuildStamp/containsEscaped(_:)``, eight at a time) answers
    /// as a byte-by-byte look does: each escaped byte and its neighbours in value (0x00, 0x08, 0x0B,
    /// 0x0C, 0x0E, 0x5B, 0x5D, non-ASCII) at every place of fields of every length up to three words,
    /// and random fields; a field written and compared through it keeps its escapes.
    func testTheEscapeScanFindsExactlyTheEscapedBytes() {
        let escaped: Set<UInt8> = [0x5C, 0x09, 0x0A, 0x0D]
        func reference(_ bytes: [UInt8]) -> Bool { bytes.contains { escaped.contains($0) } }
        var found = 0
        for length in 0...24 {
            let plain = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            XCTAssertFalse(plain.withUnsafeBufferPointer(BuildStamp.containsEscaped), "\(length) plain bytes")
            for special: UInt8 in [0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x5B, 0x5C, 0x5D, 0x7F, 0xE7] {
                for at in 0..<length {
                    var bytes = plain
                    bytes[at] = special
                    let answer = bytes.withUnsafeBufferPointer(BuildStamp.containsEscaped)
                    XCTAssertEqual(answer, reference(bytes), "0x\(String(special, radix: 16)) at \(at) of \(length)")
                    if answer { found += 1 }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                Bool.random(using: &generator) ? UInt8.random(in: 0...0x7F, using: &generator) : UInt8(ascii: "x")
            }
            XCTAssertEqual(bytes.withUnsafeBufferPointer(BuildStamp.containsEscaped), reference(bytes), "\(bytes)")
        }
        XCTAssertGreaterThan(found, 1_000) // the escaped bytes were there to find
        // Written and compared through the scan: a long field with an escape in its third word.
        var warning = Diagnostic("content/en/a-long-path/p1.md", line: 3, column: 4, stage: .proseNumbers,
                                 "a message long enough for three words\tthen a tab", hint: "a hint \\ with a backslash")
        warning.isWarning = true
        var line: [UInt8] = []
        BuildStamp.appendRecord(of: warning, to: &line)
        XCTAssertTrue(String(decoding: line, as: UTF8.self).contains("words\\tthen"))
        XCTAssertTrue(String(decoding: line, as: UTF8.self).contains("hint \\\\ with"))
        XCTAssertEqual(line.withUnsafeBytes { BuildStamp.recordEnd(of: warning, in: $0, at: 0) }, line.count)
    }
}
