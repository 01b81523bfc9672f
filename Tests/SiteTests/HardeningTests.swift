import XCTest
import _TestSupport
@testable import Site

/// Issue 11: the output is only ever a folder lossbook made, missing tools are named before any
/// work, odd input files read as authors expect, and every error is one positioned line.
final class HardeningTests: XCTestCase {
    let fm = FileManager.default

    func output(_ path: String) -> (SiteFixture) -> BuildOptions {
        { fixture in
            var options = fixture.options()
            options.outputDirectory = fixture.root.appendingPathComponent(path)
            return options
        }
    }

    // MARK: - 1. Output safety

    func testRefusesTheProjectFolder() async throws {
        try await SiteFixture.expectFailure(options: output(".")) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first?.stage, .output)
            XCTAssertTrue($0.first?.message.contains("refusing to write the site over the project folder") == true, $0.first?.message ?? "")
        }
    }

    func testRefusesContentAndTemplatesAndTheirParents() async throws {
        // `content/\u{301}out`: a folder inside content/ whose name starts with a combining mark
        // (compared by characters, `/` and the mark were one character, and the folder outside).
        for path in ["content", "content/en/out", "content/zh", "content/\u{301}out"] {
            try await SiteFixture.expectFailure(options: output(path)) {
                XCTAssertEqual($0.count, 1, path)
                XCTAssertTrue($0.first?.message.hasPrefix("refusing") == true, $0.first?.message ?? "")
            }
        }
        // The templates folder (here the repository's, given explicitly as the output).
        try await SiteFixture.expectFailure(options: { fixture in
            var options = fixture.options()
            options.outputDirectory = options.templatesDirectory
            return options
        }) { XCTAssertTrue($0.first?.message.contains("the templates folder") == true, $0.first?.message ?? "") }
        // A folder containing the project.
        try await SiteFixture.expectFailure(options: { fixture in
            var options = fixture.options()
            options.outputDirectory = fixture.root.deletingLastPathComponent()
            return options
        }) { XCTAssertTrue($0.first?.message.contains("this folder contains") == true, $0.first?.message ?? "") }
    }

    func testRefusesAFolderLossbookDidNotWrite() async throws {
        try await SiteFixture.expectFailure({ try $0.write("mine", to: "notes/todo.txt") }, options: output("notes")) {
            XCTAssertTrue($0.first?.message.contains("did not write") == true, $0.first?.message ?? "")
        }
    }

    func testMarkerIsWrittenAndAnEarlierSiteWithoutItIsAccepted() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let marker = fixture.output.appendingPathComponent(OutputSafety.marker).path
        XCTAssertTrue(fm.fileExists(atPath: marker))
        try fm.removeItem(atPath: marker) // as an older lossbook left it
        try await fixture.build()
        XCTAssertTrue(fm.fileExists(atPath: marker))
        // An empty folder is fine too.
        var options = fixture.options()
        options.outputDirectory = fixture.root.appendingPathComponent("empty")
        try fm.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        try await SiteBuilder.build(options)
        XCTAssertTrue(fm.fileExists(atPath: options.outputDirectory.appendingPathComponent("index.html").path))
    }

    func testSymlinkedOutputKeepsItsLink() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let target = fixture.root.appendingPathComponent("public")
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: fixture.output.path, withDestinationPath: "public")
        try await fixture.build()
        try await fixture.build()
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: fixture.output.path), "public")
        XCTAssertTrue(fm.fileExists(atPath: target.appendingPathComponent("zh/focal/index.html").path))
    }

    func testStaleFoldersOfKilledBuildsAreRemoved() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        // A pid beyond Linux's largest possible one: no such process.
        for name in [".site.staging-4194999", ".site.old-4194999"] {
            try fixture.write("x", to: "\(name)/index.html")
        }
        try fixture.write("kept", to: ".site.notes/keep.txt")
        try await fixture.build()
        let left = try fm.contentsOfDirectory(atPath: fixture.root.path).filter { $0.hasPrefix(".site.") }
        XCTAssertEqual(left, [".site.notes"])
    }

    func testUnchangedFilesStayInPlace() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        func inode(_ path: String) throws -> Int? {
            (try fm.attributesOfItem(atPath: fixture.output.appendingPathComponent(path).path)[.systemFileNumber] as? NSNumber)?.intValue
        }
        let before = try inode("zh/focal/index.html")
        try fixture.write("---\ntitle: new\n---\n\nnew page\n", to: "content/en/new.md")
        try await fixture.build()
        XCTAssertEqual(try inode("zh/focal/index.html"), before, "an unchanged file is kept, not rewritten")
        XCTAssertTrue(try fixture.read("en/new/index.html").contains("new page"))
    }

    func testSwapIsAtomicWherePossible() throws {
        let base = TemporaryFolder.path("swap")
        defer { TemporaryFolder.remove(base) }
        for name in ["a", "b"] {
            try fm.createDirectory(at: base.appendingPathComponent(name), withIntermediateDirectories: true)
            try name.write(to: base.appendingPathComponent("\(name)/which"), atomically: false, encoding: .utf8)
        }
        if SiteWriter.exchange(base.appendingPathComponent("a").path, base.appendingPathComponent("b").path) {
            XCTAssertEqual(try String(contentsOf: base.appendingPathComponent("a/which"), encoding: .utf8), "b")
        } else {
            print("note: RENAME_EXCHANGE unsupported here; the two-rename fallback is used")
        }
    }

    func testWriteErrorsAreOneLineWithTheCause() async throws {
        try await SiteFixture.expectFailure({ try $0.write("a file", to: "blocker") }, options: output("blocker/site")) {
            XCTAssertEqual($0.count, 1)
            let message = $0.first?.message ?? ""
            XCTAssertTrue(message.contains("not a directory") || message.contains("not a folder") || message.contains("refusing"), message)
            XCTAssertFalse(message.contains("NSError") || message.contains("Domain="), message)
        }
        // Disk full: /dev/full answers every write with ENOSPC.
        do {
            try Data("x".utf8).write(to: URL(fileURLWithPath: "/dev/full"))
            XCTFail("writing to /dev/full should fail")
        } catch {
            XCTAssertEqual(FileError.cause(error), "/dev/full: no space left on device")
        }
    }

    /// A theme file that cannot be copied is an error at its own path (a FIFO, where reading
    /// would wait for a writer, was "site: cannot write the site: …: permission denied"; a
    /// folder linking to itself was "site: cannot write the site: symlink cycle").
    func testAThemeFileThatCannotBeCopiedIsAnErrorAtItsPath() async throws {
        try await SiteFixture.expectFailure(templates: { templates in
            XCTAssertEqual(mkfifo(templates.appendingPathComponent("assets/pipe.css").path, 0o644), 0)
        }) {
            XCTAssertEqual($0.map { $0.description.components(separatedBy: "/templates/").last! },
                           ["assets/pipe.css:1:1: error: not a file or folder (a FIFO, socket or device) (hint: remove it, or put the file it stands for in its place)"])
        }
        try await SiteFixture.expectFailure(templates: { templates in
            try self.fm.createSymbolicLink(atPath: templates.appendingPathComponent("assets/loop").path, withDestinationPath: ".")
        }) {
            XCTAssertEqual($0.count, 1, $0.map(\.description).joined(separator: "\n"))
            XCTAssertTrue($0.first?.path.hasSuffix("templates/assets/loop") == true, $0.first?.description ?? "")
            XCTAssertEqual($0.first?.message, "symlink cycle: this folder contains itself")
        }
    }

    /// The theme's files may link only inside its project, as the notes may: a template or an
    /// asset linking to a file outside was read or published (`/etc/passwd` as `assets/x.css`).
    func testThemeLinksLeavingTheProjectAreErrors() async throws {
        let outside = TemporaryFolder.path("outside")
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try "body {}".write(to: outside.appendingPathComponent("x.css"), atomically: true, encoding: .utf8)
        try "{{title}}".write(to: outside.appendingPathComponent("x.mustache"), atomically: true, encoding: .utf8)
        defer { TemporaryFolder.remove(outside) }
        try await SiteFixture.expectFailure(templates: { templates in
            try self.fm.createSymbolicLink(atPath: templates.appendingPathComponent("assets/x.css").path,
                                           withDestinationPath: outside.appendingPathComponent("x.css").path)
            try self.fm.createSymbolicLink(atPath: templates.appendingPathComponent("aside.mustache").path,
                                           withDestinationPath: outside.appendingPathComponent("x.mustache").path)
        }) {
            let text = $0.map(\.description).joined(separator: "\n")
            XCTAssertEqual($0.map { $0.path.components(separatedBy: "/templates/").last! }.sorted(), ["aside.mustache", "assets/x.css"], text)
            XCTAssertTrue($0.allSatisfy { $0.message.hasPrefix("symlink leaves the project: it points to \(outside.path)/x.") }, text)
        }
    }

    // MARK: - 2. Preflight

    func testMissingToolsAreNamedBeforeAnyWork() async throws {
        try await SiteFixture.expectFailure(options: { fixture in
            var options = fixture.options(cache: false)
            options.tools.node = "lossbook-no-such-node"
            options.tools.katexDirectory = "/nonexistent/katex"
            options.tools.highlightDirectory = "/nonexistent/highlight.js"
            return options
        }) {
            XCTAssertEqual($0.map(\.stage), [.preflight, .preflight, .preflight], $0.map(\.description).joined(separator: "\n"))
            XCTAssertTrue($0.allSatisfy { $0.hint?.contains("apt-get install nodejs libjs-katex node-highlight.js") == true })
            XCTAssertTrue($0.contains { $0.message.contains("Node.js not found") })
        }
    }

    /// KaTeX without its stylesheet or fonts, highlight.js without its main script: each part
    /// is named before any work. Both builds passed, the formulas unstyled, the code plain.
    func testIncompleteLibrariesAreNamedBeforeAnyWork() async throws {
        let real = RenderTools.fromEnvironment()
        let katex = TemporaryFolder.path("katex"), highlight = TemporaryFolder.path("highlight")
        defer { TemporaryFolder.remove(katex); TemporaryFolder.remove(highlight) }
        for folder in [katex, highlight] { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
        try fm.createSymbolicLink(atPath: katex.appendingPathComponent("katex.js").path, withDestinationPath: "\(real.katexDirectory)/katex.js")
        try fm.createDirectory(at: katex.appendingPathComponent("fonts"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: highlight.appendingPathComponent("package.json").path,
                                  withDestinationPath: "\(real.highlightDirectory)/package.json")
        try await SiteFixture.expectFailure(options: { fixture in
            var options = fixture.options(cache: false)
            options.tools.katexDirectory = katex.path
            options.tools.highlightDirectory = highlight.path
            return options
        }) {
            let text = $0.map(\.description).joined(separator: "\n")
            XCTAssertEqual($0.map(\.stage), [.preflight, .preflight, .preflight], text)
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: $0.map { ($0.path, $0.message) }), [
                katex.path + "/katex.min.css": "KaTeX is incomplete: katex.min.css is missing or unreadable",
                katex.path + "/fonts": "KaTeX is incomplete: fonts/ is missing or unreadable",
                highlight.path + "/lib/index.js": "highlight.js is incomplete: lib/index.js is missing or unreadable",
            ], text)
            XCTAssertTrue($0.allSatisfy { $0.hint?.contains("apt-get install nodejs libjs-katex node-highlight.js") == true }, text)
        }
    }

    func testVersionsAreInTheReport() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let report = try await fixture.build(write: false)
        XCTAssertEqual(report.tools?.node.hasPrefix("v"), true)
        // Read from the libraries' own files (KaTeX's script as bytes): numbers, not "unknown".
        for version in [report.tools?.katex, report.tools?.highlight] {
            XCTAssertNotNil(version?.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+"#, options: .regularExpression), version ?? "nil")
        }
    }

    /// An executable `/bin/sh` script running `body`, in the temporary folder (the caller removes it).
    func shellScript(_ body: String, named name: String) throws -> URL {
        let script = TemporaryFolder.path(name)
        try "#!/bin/sh\n\(body)\n".write(to: script, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    /// A `node` that is there but is no Node.js is told apart from a missing one.
    func testNodeThatPrintsNoVersionIsNotCalledMissing() throws {
        let script = try shellScript("exit 3", named: "not-node")
        defer { try? fm.removeItem(at: script) }
        var tools = RenderTools.fromEnvironment()
        tools.node = script.path
        XCTAssertThrowsError(try Preflight.nodeVersion(tools)) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "'\(script.path) --version' printed no Node.js version (exit status 3)", "\(error)")
        }
        tools.node = "lossbook-no-such-node"
        XCTAssertThrowsError(try Preflight.nodeVersion(tools)) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "Node.js not found ('lossbook-no-such-node' is not on PATH)", "\(error)")
        }
    }

    /// The helper starts without `NODE_EXTRA_CA_CERTS` (Node.js would parse the certificates it
    /// names before every helper's first formula) and with the rest of lossbook's environment.
    func testHelperStartsWithoutExtraCertificates() throws {
        let seen = TemporaryFolder.path("helper-environment")
        let script = try shellScript("env > '\(seen.path)'\nexec node \"$@\"", named: "env-node")
        defer { try? fm.removeItem(at: script); try? fm.removeItem(at: seen) }
        let before = ProcessInfo.processInfo.environment["NODE_EXTRA_CA_CERTS"]
        setenv("NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/ca-certificates.crt", 1)
        setenv("LOSSBOOK_TEST_KEPT", "kept", 1)
        defer {
            if let before { setenv("NODE_EXTRA_CA_CERTS", before, 1) } else { unsetenv("NODE_EXTRA_CA_CERTS") }
            unsetenv("LOSSBOOK_TEST_KEPT")
        }
        var tools = RenderTools.fromEnvironment()
        tools.node = script.path
        let results = try RenderHelper.render([.math(tex: "x^2", display: false)], tools: tools, macros: [:])
        guard case let .html(html)? = results.first else { return XCTFail("\(results)") }
        XCTAssertTrue(html.contains("katex"), html)
        let lines = try String(contentsOf: seen, encoding: .utf8).split(separator: "\n")
        XCTAssertFalse(lines.contains { $0.hasPrefix("NODE_EXTRA_CA_CERTS=") }, "the helper was given the certificates to parse")
        XCTAssertTrue(lines.contains("LOSSBOOK_TEST_KEPT=kept"), "the rest of the environment is the helper's too")
    }

    /// The helper runs V8 without its background threads (``RenderHelper/nodeFlags``), and a
    /// Node.js that refuses the flag (`node: bad option: …`, status 9) is started again without it,
    /// once: the formula is typeset, and the next helper of that Node.js is not offered the flag.
    func testHelperRunsSingleThreadedAndANodeThatRefusesTheFlagRunsWithout() throws {
        let seen = TemporaryFolder.path("helper-arguments")
        let accepting = try shellScript("printf '%s\\n' \"$1\" >> '\(seen.path)'\nexec node \"$@\"", named: "flag-node")
        let refusing = try shellScript("""
            printf '%s\\n' "$1" >> '\(seen.path)'
            case "$1" in --single-threaded) echo "$0: bad option: $1" >&2; exit 9;; esac
            exec node "$@"
            """, named: "old-node")
        defer { try? fm.removeItem(at: accepting); try? fm.removeItem(at: refusing); try? fm.removeItem(at: seen) }
        var tools = RenderTools.fromEnvironment()
        tools.node = accepting.path
        let typeset = try RenderHelper.render([.math(tex: "x^2", display: false)], tools: tools, macros: [:])
        guard case let .html(html)? = typeset.first, html.contains("katex") else { return XCTFail("\(typeset)") }
        XCTAssertEqual(try String(contentsOf: seen, encoding: .utf8), RenderHelper.nodeFlags[0] + "\n")
        try fm.removeItem(at: seen)
        tools.node = refusing.path
        XCTAssertEqual(try RenderHelper.render([.math(tex: "x^2", display: false)], tools: tools, macros: [:]), typeset)
        XCTAssertEqual(try RenderHelper.render([.math(tex: "y^2", display: false)], tools: tools, macros: [:]).count, 1)
        XCTAssertEqual(try String(contentsOf: seen, encoding: .utf8), RenderHelper.nodeFlags[0] + "\n-e\n-e\n",
                       "offered the flag once, then started without it")
        // Two helpers started early, both with the flag, before either refused: each is started again.
        let twice = try shellScript("""
            case "$1" in --single-threaded) echo "$0: bad option: $1" >&2; exit 9;; esac
            exec node "$@"
            """, named: "old-node-2")
        defer { try? fm.removeItem(at: twice) }
        tools.node = twice.path
        tools.helpers = 2
        let workers = RenderWorkers()
        defer { workers.stop() }
        workers.start(2, tools: tools)
        let many = (0..<(2 * RenderHelper.minimumBatch)).map { RenderRequest.math(tex: "x_{\($0)}", display: false) }
        let rendered = try workers.render(many, tools: tools, macros: [:])
        XCTAssertEqual(rendered.processes, 2)
        XCTAssertEqual(rendered.results.filter { if case .html = $0 { return true } else { return false } }.count, many.count)
        // A helper started without the flag that still says so is an error, not started again.
        let always = try shellScript("echo \"$0: bad option: --single-threaded\" >&2; exit 9", named: "odd-node")
        defer { try? fm.removeItem(at: always) }
        tools.node = always.path
        XCTAssertThrowsError(try RenderHelper.render([.math(tex: "x", display: false)], tools: tools, macros: [:])) { error in
            XCTAssertTrue((error as? Diagnostic)?.message.contains("bad option") == true, "\(error)")
        }
    }

    /// A helper that fails after highlighting code is reported with its own message, not with
    /// highlight.js 9's end-of-life notice, printed on first use.
    func testFailingHelperIsReportedWithItsOwnMessage() throws {
        let katex = TemporaryFolder.path("failing-katex")
        try fm.createDirectory(at: katex, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: katex) }
        try "module.exports = { renderToString() { process.stderr.write('KaTeX stand-in gave up\\n'); process.exit(3); } };\n"
            .write(to: katex.appendingPathComponent("katex.js"), atomically: true, encoding: .utf8)
        var tools = RenderTools.fromEnvironment()
        tools.katexDirectory = katex.path
        let requests: [RenderRequest] = [.code(language: "python", code: "x = 1"), .math(tex: "x", display: false)]
        XCTAssertThrowsError(try RenderHelper.render(requests, tools: tools, macros: [:])) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "the KaTeX/highlight.js helper failed: KaTeX stand-in gave up", "\(error)")
        }
    }

    /// A helper that dies without reading its input (here `false`) is an error, not a SIGPIPE.
    func testDeadHelperIsAnError() throws {
        var tools = RenderTools.fromEnvironment()
        tools.node = "false"
        let requests = (0..<20000).map { RenderRequest.math(tex: "x_{\($0)} + " + String(repeating: "y", count: 40), display: false) }
        XCTAssertThrowsError(try RenderHelper.render(requests, tools: tools, macros: [:])) { error in
            XCTAssertTrue((error as? Diagnostic)?.message.contains("helper failed") == true, "\(error)")
        }
    }

    func testSilentHelperIsStoppedAfterTheTimeout() throws {
        let script = try shellScript("exec sleep 60", named: "silent")
        defer { try? fm.removeItem(at: script) }
        var tools = RenderTools.fromEnvironment()
        tools.node = script.path
        tools.timeout = 1
        let start = Date()
        XCTAssertThrowsError(try RenderHelper.render([.math(tex: "x", display: false)], tools: tools, macros: [:])) { error in
            XCTAssertTrue((error as? Diagnostic)?.message.contains("did not answer within 1 s") == true, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    // MARK: - 3. Input

    func testCRLFAndBOMAndBlankAfterFences() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write("---\r\ntitle: Windows\r\n---\r\n\r\nline $a$ one\r\n", to: "content/en/crlf.md")
        try fixture.write("\u{FEFF}--- \ntitle: Bom\n---\t \n\nbody\n", to: "content/en/bom.md")
        try await fixture.build()
        XCTAssertTrue(try fixture.read("en/crlf/index.html").contains("<title>Windows"))
        XCTAssertTrue(try fixture.read("en/bom/index.html").contains("<title>Bom"))
    }

    func testNULAndInvalidUTF8ArePositioned() async throws {
        try await SiteFixture.expectFailure({ fixture in
            try fixture.write("---\ntitle: x\n---\n\nab\u{0}cd\n", to: "content/en/nul.md")
            var bytes = Array("---\ntitle: y\n---\n\n中文 ok\nz".utf8)
            bytes += [0xFF, 0x41]
            try Data(bytes).write(to: fixture.content.appendingPathComponent("en/bad.md"))
        }) {
            XCTAssertEqual($0.map(\.description).sorted().map { $0.components(separatedBy: "/content/").last! }, [
                "en/bad.md:6:2: error: invalid UTF-8 (byte 0xFF) (hint: save the file as UTF-8)",
                "en/nul.md:5:3: error: NUL byte in a text file (hint: remove it; a NUL would cut the page short)",
            ])
        }
    }

    /// The configuration and the templates are read as notes are: a byte that is not UTF-8 is an
    /// error at its place (it was "cannot read the site configuration (hint: create it)").
    func testConfigurationAndTemplatesThatAreNotUTF8ArePositioned() throws {
        let dir = try TemporaryFolder.make("utf8")
        defer { TemporaryFolder.remove(dir) }
        try Data(Array("languages:\n  - code: en\n    name: Caf".utf8) + [0xE9, 0x0A]).write(to: dir.appendingPathComponent("lossbook.yaml"))
        XCTAssertThrowsError(try SiteConfig.load(contentDirectory: dir, displayPath: "content/lossbook.yaml")) {
            XCTAssertEqual(($0 as? Diagnostic)?.description,
                           "content/lossbook.yaml:3:14: error: invalid UTF-8 (byte 0xE9) (hint: save the file as UTF-8)")
        }
        for name in ["home", "404"] { try "ok".write(to: dir.appendingPathComponent("\(name).mustache"), atomically: true, encoding: .utf8) }
        try "en: {}\n".write(to: dir.appendingPathComponent("strings.yaml"), atomically: true, encoding: .utf8)
        try Data(Array("<p>{{title}}</p>\n<p>".utf8) + [0xFF]).write(to: dir.appendingPathComponent("page.mustache"))
        XCTAssertThrowsError(try Theme.load(directory: dir, displayRoot: "templates", languages: ["en"])) {
            XCTAssertEqual(($0 as? BuildFailure)?.diagnostics.map(\.description),
                           ["templates/page.mustache:2:4: error: invalid UTF-8 (byte 0xFF) (hint: save the file as UTF-8)"])
        }
    }

    /// A file whose name is not UTF-8 was left out of the site without a word.
    func testFileNamesThatAreNotUTF8AreErrors() async throws {
        try await SiteFixture.expectFailure({ fixture in
            let name = Array(fixture.content.appendingPathComponent("en/caf").path.utf8CString.dropLast()) + [CChar(bitPattern: 0xE9)] + Array(".md".utf8CString)
            let fd = open(name, O_CREAT | O_WRONLY, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 0)
            close(fd)
        }) {
            XCTAssertEqual($0.map { $0.description.components(separatedBy: "/content/").last! },
                           ["en/caf\u{FFFD}.md:1:1: error: file name is not UTF-8 (byte 0xE9) (hint: rename it in UTF-8; pages and links are named after their files)"])
        }
    }

    /// A slug longer than a folder name may be was the staging folder's "The file name is invalid".
    func testASlugLongerThanAFolderNameIsAnErrorAtTheSlug() {
        let slug = String(repeating: "a", count: 256)
        XCTAssertThrowsError(try FrontMatter.split("---\ntitle: x\nslug: \(slug)\n---\n\nBody.\n", path: "content/en/a.md")) { error in
            XCTAssertEqual((error as? Diagnostic)?.description,
                           "content/en/a.md:3:7: error: 'slug' is 256 bytes long; a folder name may have at most 255 (hint: shorten it)")
        }
        XCTAssertThrowsError(try FrontMatter.split("---\ntitle: x\nslug: \"a\\0b\"\n---\n", path: "content/en/a.md")) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "'slug' contains a NUL character")
        }
        XCTAssertEqual(try FrontMatter.split("---\nslug: \(slug.dropLast())\n---\n", path: "a.md").0.slug?.count, 255)
    }

    func testSymlinksInsideTheProjectAreFollowed() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fm.moveItem(at: fixture.content.appendingPathComponent("en"), to: fixture.root.appendingPathComponent("en-notes"))
        try fm.createSymbolicLink(atPath: fixture.content.appendingPathComponent("en").path, withDestinationPath: "../en-notes")
        try fm.createSymbolicLink(atPath: fixture.content.appendingPathComponent("zh/img/dot-link.svg").path, withDestinationPath: "dot.svg")
        try await fixture.build()
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("<html"))
        XCTAssertEqual(try fixture.read("zh/img/dot-link.svg"), try fixture.read("zh/img/dot.svg"))
    }

    func testSymlinksLeavingTheProjectAndCyclesAreErrors() async throws {
        let outside = TemporaryFolder.path("outside").appendingPathExtension("svg")
        try "<svg/>".write(to: outside, atomically: true, encoding: .utf8)
        defer { TemporaryFolder.remove(outside) }
        try await SiteFixture.expectFailure({ fixture in
            try self.fm.createSymbolicLink(atPath: fixture.content.appendingPathComponent("zh/img/out.svg").path, withDestinationPath: outside.path)
            try self.fm.createSymbolicLink(atPath: fixture.content.appendingPathComponent("zh/img/loop").path, withDestinationPath: ".")
        }) {
            XCTAssertEqual($0.count, 2, $0.map(\.description).joined(separator: "\n"))
            XCTAssertTrue($0.contains { $0.path.hasSuffix("content/zh/img/out.svg") && $0.message.hasPrefix("symlink leaves the project") })
            XCTAssertTrue($0.contains { $0.path.hasSuffix("content/zh/img/loop") && $0.message.hasPrefix("symlink cycle") })
        }
    }

    /// A site with no notes builds its home pages and says so once per language (the page
    /// template's check called every variable unknown, having no page to judge it by).
    func testSiteWithoutNotesBuildsAndWarns() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        for language in ["en", "zh"] {
            let folder = fixture.content.appendingPathComponent(language)
            for name in try fm.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".md") {
                try fm.removeItem(at: folder.appendingPathComponent(name))
            }
        }
        let report = try await fixture.build()
        XCTAssertEqual(report.pages, 0)
        let warned = report.warnings.filter { $0.message.hasPrefix("no notes in language") }
        XCTAssertEqual(warned.map { $0.path.components(separatedBy: "/").last! }.sorted(), ["en", "zh"],
                       report.warnings.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(try fixture.read("index.html").contains("<html"))
    }

    func testEditorLeftoversAreIgnored() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let before = try fixture.snapshot().keys.sorted()
        for name in ["focal.md~", "#focal.md#", ".focal.md.swp", ".draft.md"] {
            try fixture.write("---\nbroken: [\n", to: "content/en/\(name)")
        }
        try await fixture.build()
        XCTAssertEqual(try fixture.snapshot().keys.sorted(), before)
    }

    func testGeneratedPageCollisionsNameBothSides() async throws {
        try await SiteFixture.expectFailure({ fixture in
            let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
            try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
            try fixture.write("---\ntitle: mine\nslug: reference\n---\n", to: "content/en/mine.md")
            // (content/en/reference/ itself holds catalog prose, never pages: no note can sit there.)
        }) {
            XCTAssertEqual($0.count, 1, $0.map(\.description).joined(separator: "\n"))
            XCTAssertTrue($0.contains { $0.path.hasSuffix("content/en/mine.md") && $0.line == 3
                && $0.message == "output path en/reference/index.html is also written by the generated page <reference>/en/reference/index.md" },
                          $0.map(\.description).joined(separator: "\n"))
        }
    }

    /// A page whose folder is a file the site generates (the search index here) is a positioned
    /// error naming both, before anything is written (it was the staging folder's raw write error).
    func testNoteWhereTheSiteWritesAGeneratedFileNamesBothSides() async throws {
        try await SiteFixture.expectFailure({ fixture in
            try fixture.write("---\ntitle: mine\nslug: search-index.js\n---\n", to: "content/en/mine.md")
        }) {
            let text = $0.map(\.description).joined(separator: "\n")
            XCTAssertEqual($0.count, 1, text)
            XCTAssertTrue($0.contains { $0.path.hasSuffix("content/en/mine.md") && $0.line == 3
                && $0.message.contains("needs a folder en/search-index.js, which is the generated file en/search-index.js") }, text)
        }
    }

    /// A note's file at a path the site generates (the search index) is an error naming both.
    func testFileWhereTheSiteWritesAGeneratedFileNamesBothSides() async throws {
        try await SiteFixture.expectFailure({ fixture in
            try fixture.write("var index = [];\n", to: "content/en/search-index.js")
        }) {
            let text = $0.map(\.description).joined(separator: "\n")
            XCTAssertEqual($0.count, 1, text)
            XCTAssertTrue($0.contains { $0.path.hasSuffix("content/en/search-index.js")
                && $0.message == "the file en/search-index.js is also written by the generated file en/search-index.js" }, text)
        }
    }

    // MARK: - 5. One line each

    func testDuplicateYAMLKeyIsOneLine() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: a\nweight: 1\ntitle: b\n---\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[4, 1]])
            XCTAssertEqual($0.first?.message, "duplicate key 'title' in this mapping")
        }
    }

    /// KaTeX draws an untrusted command in red and carries on; the build refuses it at its place.
    func testUntrustedKaTeXCommandsAreErrors() async throws {
        try await SiteFixture.expectFailure({ fixture in
            try fixture.write("---\ntitle: x\n---\n\nSee $a + \\href{javascript:alert(1)}{b}$.\n\n$$\n\\url{https://example.com}\n$$\n\n$x\\htmlId{a}{b}$\n", to: "content/en/x.md")
        }) {
            let text = $0.map(\.description).joined(separator: "\n")
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[5, 10], [8, 1], [11, 3]], text)
            XCTAssertTrue($0.allSatisfy { $0.stage == .math }, text)
            // Its own message and hint, not KaTeX's parse error with the hint about dollar signs.
            XCTAssertEqual($0.map(\.message), ["'\\href' is not allowed in a formula", "'\\url' is not allowed in a formula",
                                               "'\\htmlId' is not allowed in a formula"], text)
            XCTAssertEqual($0.map(\.hint), ["write the link in the text around the formula", "write the link in the text around the formula",
                                            "formulas carry no HTML attributes; style the text around the formula instead"], text)
        }
    }

    /// A macro defined as itself: KaTeX's "Too many expansions" at the formula, with a hint at the
    /// macros rather than the one about dollar signs.
    func testASelfExpandingMacroIsNamedInTheHint() async throws {
        try await SiteFixture.expectFailure({ fixture in
            let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
            try fixture.write(config.replacingOccurrences(of: "    \\R: \\mathbb{R}\n", with: "    \\R: \\mathbb{R}\n    \\Loop: \\Loop + 1\n"),
                              to: "content/lossbook.yaml")
            try fixture.write("---\ntitle: x\n---\n\nSee $\\Loop$.\n", to: "content/en/x.md")
        }) {
            let text = $0.map(\.description).joined(separator: "\n")
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[5, 6]], text)
            XCTAssertTrue($0.first?.message.contains("Too many expansions") ?? false, text)
            XCTAssertEqual($0.first?.hint, "a macro expands into itself; check the macros under 'math: macros:' in lossbook.yaml", text)
        }
    }

    func testMultiLineFormulaErrorIsOneLine() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\n$$\n\\frac{1}{\n  + b\n$$\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first?.stage, .math)
            XCTAssertFalse($0.first?.message.contains("\n") ?? true, $0.first?.message ?? "")
        }
    }

    func theme(_ templates: [String: String]) -> [Diagnostic] {
        let dir = TemporaryFolder.path("theme")
        defer { TemporaryFolder.remove(dir) }
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["home", "404", "page"] { try? "ok".write(to: dir.appendingPathComponent("\(name).mustache"), atomically: true, encoding: .utf8) }
        for (name, text) in templates { try? text.write(to: dir.appendingPathComponent("\(name).mustache"), atomically: true, encoding: .utf8) }
        try? "en: {}\n".write(to: dir.appendingPathComponent("strings.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try Theme.load(directory: dir, displayRoot: "templates", languages: ["en"])
            return []
        } catch {
            return (error as? BuildFailure)?.diagnostics ?? []
        }
    }

    func testTemplateErrorsAtEndOfFileArePositionedAndReadable() {
        XCTAssertEqual(theme(["page": "line\n  {{#open}}\n"]).map(\.description),
                       ["templates/page.mustache:2:3: error: section '{{#open}}' is never closed (hint: add '{{/open}}' where it ends)"])
        let overflow = theme(["page": "line\n{{title"]).map(\.description)
        XCTAssertEqual(overflow.count, 1)
        XCTAssertFalse(overflow.first?.contains("overflow") ?? true, overflow.first ?? "")
        XCTAssertFalse(overflow.first?.contains("near ''") ?? true, overflow.first ?? "")
        // swift-mustache reads a lone `{{` at the very end as text, and says `overflow` after
        // `{{ `: both are the same error, at the `{{`.
        for text in ["line\nx {{", "line\nx {{ ", "line\nx {{ title"] {
            XCTAssertEqual(theme(["page": text]).map(\.description),
                           ["templates/page.mustache:2:3: error: unfinished tag: a '{{' without its '}}' (hint: close the tag with '}}')"], text)
        }
    }

    /// An unreadable `strings.yaml` (here a folder of that name) was "no UI strings for language 'en'".
    func testUnreadableUIStringsAreSaidSo() throws {
        let dir = try TemporaryFolder.make("strings")
        defer { TemporaryFolder.remove(dir) }
        for name in ["home", "404", "page"] { try "ok".write(to: dir.appendingPathComponent("\(name).mustache"), atomically: true, encoding: .utf8) }
        try fm.createDirectory(at: dir.appendingPathComponent("strings.yaml"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try Theme.load(directory: dir, displayRoot: "templates", languages: ["en"])) {
            XCTAssertEqual(($0 as? Diagnostic)?.description,
                           "templates/strings.yaml:1:1: error: cannot read the UI strings (hint: check that the file is readable)")
        }
    }

    /// `init` in a folder that holds notes but no `lossbook.yaml` replaced them with its own.
    func testInitWritesOnlyNewFiles() throws {
        let dir = try TemporaryFolder.make("init")
        defer { TemporaryFolder.remove(dir) }
        let mine = dir.appendingPathComponent("content/en/index.md")
        try fm.createDirectory(at: mine.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "mine\n".write(to: mine, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SiteScaffold.create(in: dir, languages: ["zh", "en"])) {
            XCTAssertEqual(($0 as? BuildFailure)?.diagnostics.map { $0.description.components(separatedBy: "/content/").last! },
                           ["en/index.md:1:1: error: a file is already here; init writes only new files (hint: move it away, or choose an empty or new folder)"])
        }
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "mine\n")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("content").path), ["en"], "nothing written")
    }

    func testMissingAndRecursivePartialsAreErrors() {
        XCTAssertEqual(theme(["page": "a\n{{> nav}}\n"]).map(\.description),
                       ["templates/page.mustache:2:1: error: missing partial 'nav' (hint: add templates/nav.mustache)"])
        XCTAssertEqual(theme(["page": "{{> item}}", "item": "x {{#children}}{{> item}}{{/children}}"]).map(\.description),
                       ["templates/item.mustache:1:16: error: recursive partial: item → item (hint: a partial may not include itself)"])
    }
}
