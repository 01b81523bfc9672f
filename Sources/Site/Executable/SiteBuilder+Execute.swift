import Foundation
import Markdown

extension SiteBuilder {
    /// A page parsed (the one cmark-gfm parse of its markdown) with its executable blocks run.
    struct ExecutedPage: Sendable {
        var source: SourcePage
        /// nil when the markdown itself cannot be read (`failure` says why).
        var document: MarkdownDocument?
        /// Results of the executable blocks, by their index among the page's code blocks.
        var blocks: [Int: Result<Expansion, BuildFailure>]
        var failure: Diagnostic?
        /// A `serve` session's draft of this page when its inputs are unchanged: nothing was
        /// parsed or run, and `render` takes the draft as it is.
        var reused: BuildSession.Entry?
        /// The page's inputs as the session compares them (nil without a session).
        var inputs: String?
    }

    struct ExecutedSite: Sendable {
        var discovered: DiscoveredSite
        var pages: [ExecutedPage]
        /// The catalog's bound formulas, checked against the library.
        var catalogFormulas: CatalogFormulaChecks
        /// The catalog prose's gradient formulas, checked against the library's gradients.
        var catalogGradients = CatalogGradientChecks(entries: [])

        /// ``DiscoveredSite/forgetMarkdown(parsed:)`` for every page: what renders them is their documents.
        mutating func forgetMarkdown() {
            let parsed = parsedPages
            discovered.forgetMarkdown(parsed: parsed)
            for index in pages.indices { pages[index].source.forgetBody(parsed: parsed[index]) }
        }

        /// Whether each page was parsed (not kept by a session), in the order of ``DiscoveredSite/pages``.
        var parsedPages: [Bool] { pages.map { $0.reused == nil } }
    }

    /// Stage 3: checks the catalog's bound formulas against the library (or takes a passing run
    /// of this binary from the cache) and the catalog prose's bound gradient formulas, parses every page and runs its executable blocks (or
    /// takes them from the execution cache), concurrently.
    mutating func execute(_ discovered: DiscoveredSite) async throws -> ExecutedSite {
        let loaded = discovered.loaded
        let checks = Self.binaryChecksFolder(options)
        let cacheFile = checks?.appendingPathComponent("formula-checks")
        let fingerprint = loaded.sources.fingerprint + loaded.referenceFingerprint + loaded.checkingFingerprint
        let check = { CatalogFormulaChecks.run(cacheFile: cacheFile, fingerprint: fingerprint, macros: loaded.config.macros) }
        // The same binary and macros give the same result: a `serve` session checks once.
        let key = fingerprint + "\n" + DirectiveExpander.pairs(loaded.config.macros, separator: "\n")
        let catalogFormulas = options.session?.memo("catalog formulas", key: key, check) ?? check()
        collect(catalogFormulas.diagnostics(sources: loaded.sources))
        let gradientFile = checks?.appendingPathComponent("gradient-checks")
        // The same prose bytes, binary and macros give the same result: a `serve` session checks again when one changes.
        let gradients = discovered.prose.map { prose in
            options.session.memo("gradient checks", key: { key + "\u{1}" + discovered.proseKey + "\u{1}" + (gradientFile?.path ?? "-") }) {
                CatalogGradientChecks.run(prose: prose, contentDirectory: options.contentDirectory, macros: loaded.config.macros,
                                          cacheFile: gradientFile, fingerprint: fingerprint, proseKey: discovered.proseKey)
            }
        } ?? CatalogGradientChecks(entries: [])
        collect(gradients.diagnostics())
        let session = options.session, shape = discovered.shape, limits = loaded.config.limits
        let pages = try await concurrentMap(discovered.pages) { page in
            let inputs = session == nil ? nil : Self.inputs(of: page, shape: shape)
            if let session, let inputs, let entry = session.entry(Self.sessionKey(page), inputs: inputs) {
                return ExecutedPage(source: page, document: nil, blocks: [:], reused: entry, inputs: inputs)
            }
            let renderer = discovered.renderers[page.language]!
            var page = page
            do {
                try page.readBody(limits: limits)
                let document = try renderer.parse(page.body, lineOffset: page.bodyLineOffset, path: page.displayPath)
                return ExecutedPage(source: page, document: document, blocks: renderer.execute(document, path: page.displayPath),
                                    inputs: inputs)
            } catch let diagnostic as Diagnostic {
                return ExecutedPage(source: page, document: nil, blocks: [:], failure: diagnostic)
            }
        }
        collect(pages.compactMap(\.failure))
        witness(passes: checks?.appendingPathComponent("witness-passed"))
        report.parses = pages.filter { $0.document != nil }.count
        report.executedBlocks = discovered.executions.executed
        // A `--fix` run stores nothing (its expansions bypass the cache): saving would prune every entry.
        if !options.fix { discovered.executions.save(prune: !pages.contains { $0.reused != nil }) }
        return ExecutedSite(discovered: discovered, pages: pages, catalogFormulas: catalogFormulas, catalogGradients: gradients)
    }

    /// How a ``BuildSession`` names a page, and what it compares: the page's own text and front
    /// matter, and the site's shape (``DiscoveredSite/shape``).
    static func sessionKey(_ page: SourcePage) -> String { page.sessionKey }

    /// How ``sessionKey(_:)`` starts for a note (not a generated page).
    static let sessionKeyOfANote = "note "

    static func inputs(of page: SourcePage, shape: String) -> String {
        // The hash of `"\(bodyLineOffset) \(outputPath) \(title) \(description) \(weight) \(slug) \(draft)
        // \(sourceHash)\n"`, each absent value written `\u{1}`, made part by part: joined first, the
        // line was 12,000 instructions of each of 4,000 pages' after a prose edit.
        let m = page.frontMatter
        var matter = FNV1a64Text()
        let space = UInt8(ascii: " ")
        matter.add(decimal: page.bodyLineOffset); matter.add(byte: space)
        matter.add(page.outputPath); matter.add(byte: space)
        matter.add(m.title ?? "\u{1}"); matter.add(byte: space)
        matter.add(m.description ?? "\u{1}"); matter.add(byte: space)
        matter.add(decimal: m.weight); matter.add(byte: space)
        matter.add(m.slug ?? "\u{1}"); matter.add(byte: space)
        matter.add(m.draft); matter.add(byte: space)
        matter.add(m.sourceHash ?? "\u{1}"); matter.add(byte: 0x0A)
        // The body is in the key as its `contentHash` (made when it was read): a big note's body
        // is not hashed a second time.
        var inputs = ""
        inputs.reserveCapacity(shape.utf8.count + page.contentHash.utf8.count + 18)
        inputs += shape; inputs += " "; inputs += page.contentHash; inputs += " "; inputs += hex16(matter.hash)
        return inputs
    }

    /// Where the checks of the binary itself keep their passing runs: the peer witness, the catalog's
    /// formulas and the catalog prose's gradients, each under a key of the binary's compiled-in
    /// sources (and the macros, the prose and its folder where they read them), so that a pass
    /// holds for any project. They are kept per user (`$LOSSBOOK_CHECKS`, else
    /// `$XDG_CACHE_HOME/lossbook/checks`, else `~/.cache/lossbook/checks`), not in the project's
    /// cache folder: deleting that folder makes the next build typeset every formula and run every
    /// block again, but does not verify the same binary again (5.3 s of CPU of a cold
    /// 500-pages-per-language build, more than its formulas). `--no-cache` keeps and reads nothing,
    /// so it checks the binary every time; where the per-user folder cannot be made, the project's
    /// cache folder is used.
    static func binaryChecksFolder(_ options: BuildOptions) -> URL? {
        guard let cache = options.cacheDirectory else { return nil }
        let environment = ProcessEnvironment.value
        var folder: URL?
        if let path = environment("LOSSBOOK_CHECKS"), !path.isEmpty {
            folder = URL(fileURLWithPath: path)
        } else if let path = environment("XDG_CACHE_HOME"), path.hasPrefix("/") {
            folder = URL(fileURLWithPath: path).appendingPathComponent("lossbook/checks")
        } else if let home = environment("HOME"), home.hasPrefix("/") {
            folder = URL(fileURLWithPath: home).appendingPathComponent(".cache/lossbook/checks")
        }
        guard let folder, (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil,
              access(folder.path, W_OK) == 0 else { return cache }
        return folder
    }

    /// The peer libraries' values (compiled in) recomputed by the library: once per binary, since
    /// a binary that passed them passes them again; a pass is remembered in the cache folder.
    /// - Parameter passes: the file that remembers a pass (in ``binaryChecksFolder(_:)``; nil: none).
    mutating func witness(passes file: URL?) {
        // The compiled-in theme (`templates/`) and catalog prose compute nothing: neither needs a new witness.
        let code = CompiledSources.hashes.filter { !$0.path.hasPrefix(BuiltInTheme.folder + "/") && !$0.path.hasPrefix(CatalogProse.builtInFolder + "/") }
        let stamp = fnv1a64Hex(Array(code.map { "\($0.path)=\($0.hash)\n" }.joined().utf8))
        if LossRunner.substitute == nil {
            if PeerWitness.passedInThisProcess.value { return }
            if let file, (try? String(contentsOf: PassingRunCache.slot(file, key: stamp), encoding: .utf8)) == stamp { return }
        }
        let found = PeerWitness.compiled.check()
        report.peerCasesChecked = true
        collect(found)
        guard found.isEmpty else { return }
        PeerWitness.passedInThisProcess.value = true
        guard let file else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? stamp.write(to: PassingRunCache.slot(file, key: stamp), atomically: true, encoding: .utf8)
        PassingRunCache.prune(file)
    }
}
