import Foundation
import Markdown

extension SiteBuilder {
    /// A page rendered up to its formulas and highlighted code.
    struct DraftPage: Sendable, Codable {
        var source: SourcePage
        var title: String
        var draft: Draft
        /// Fragments this page links to, checked once every page is typeset.
        var anchorChecks: [AnchorCheck]
        /// In a `serve` session: what the page's typeset HTML depends on (its inputs, and for a
        /// reference page the notes that mention it), for `typeset` to reuse it when unchanged.
        var inputs: String? = nil
    }

    struct DraftSite: Sendable {
        var discovered: DiscoveredSite
        var pages: [DraftPage]
    }

    /// Stage 4: renders every parsed page to HTML with placeholders, rewriting and checking its
    /// links. The notes go first: a reference page lists the notes that mention its loss.
    /// - Parameter proseWarnings: each note's prose-number warnings, kept with its draft in a `serve` session.
    mutating func render(_ executed: ExecutedSite, proseWarnings: [String: PageWarnings] = [:]) async throws -> DraftSite {
        let site = executed.discovered
        let keptTypeset = keptTypeset(site)
        let kept: @Sendable (SourcePage, String) -> RenderedPage? = { keptTypeset($0, $1)?.page }
        // By index: the filters copied every page (4,000 kept ones after a prose edit). The notes
        // first: a generated page's HTML depends on the notes that mention it.
        let executedPages = executed.pages
        let isGenerated = executedPages.map(\.source.generated)
        var made: [(draft: DraftPage, readKept: Bool, fromTypeset: Bool)?] = try await concurrentMap(Array(executedPages.indices)) { index in
            isGenerated[index] ? nil : Self.draftOrKept(executedPages[index], in: site, typesetInputs: executedPages[index].inputs, kept: kept)
        }
        var notes: [DraftPage] = []
        notes.reserveCapacity(made.count)
        for case let (draft, _, _)? in made { notes.append(draft) }
        var mentions: [String: [String: [(title: String, path: String)]]] = [:]
        // In navigation order, by index: sorting the drafts themselves moved every one of them.
        let mentioning = notes.indices.filter { !notes[$0].draft.mentions.isEmpty }.sorted {
            (notes[$0].source.frontMatter.weight, notes[$0].source.key) < (notes[$1].source.frontMatter.weight, notes[$1].source.key)
        }
        for index in mentioning {
            let note = notes[index]
            for id in note.draft.mentions.sorted() {
                mentions[note.source.language, default: [:]][id, default: []].append((note.title, note.source.relativePath))
            }
        }
        // A generated page's typeset HTML depends on the notes that mention it, too: its inputs
        // are its own and theirs. Kept with them, it is built from its typeset page as a note is,
        // its draft left encoded (decoding the 124 reference pages' drafts, to fill in mentions
        // that had not changed, was 15 % of a prose edit of this repository's content).
        let generated = executedPages.indices.filter { isGenerated[$0] }
        let unfilled = try await concurrentMap(generated) { [mentions] index in
            let page = executedPages[index]
            let mentionKey = (mentions[page.source.language]?[Self.mentionedID(page.source)] ?? []).map { "\($0.title)\u{1}\($0.path)" }.joined(separator: "\u{2}")
            let inputs = page.inputs.map { $0 + " " + fnv1a64Hex(Array(mentionKey.utf8)) }
            return Self.draftOrKept(page, in: site, typesetInputs: inputs, kept: kept)
        }
        for (index, page) in zip(generated, unfilled) { made[index] = page }
        report.keptDraftsRead = made.count(where: { $0!.readKept })
        remember(made.map { $0!.draft }, executed: executed, proseWarnings: proseWarnings)
        let references = zip(generated, unfilled).map { index, made in
            var draft = made.draft
            // Kept whole (its typeset page under these inputs), it has no HTML to fill in.
            guard !made.fromTypeset else { return draft }
            let page = executedPages[index]
            let mentioning = mentions[page.source.language] ?? [:]
            let fill = { Self.fillMentions(made.draft, mentions: mentioning, in: site) }
            // A `serve` session fills them in again only when the page or the notes mentioning it change.
            draft.draft.html = draft.inputs.map { options.session?.memo("mentions " + Self.sessionKey(page.source), key: $0, fill) ?? fill() } ?? fill()
            return draft
        }
        return DraftSite(discovered: site, pages: notes + references)
    }

    /// Keeps, in a `serve` session, the draft of every page rendered anew (a reference page's before
    /// its mentions are filled in: they depend on the notes), for the next rebuild to reuse.
    /// - Parameter made: each executed page's draft, in the order of `executed.pages`.
    mutating func remember(_ made: [DraftPage], executed: ExecutedSite, proseWarnings: [String: PageWarnings]) {
        guard let session = options.session else { return }
        let pages = executed.pages
        var keys: Set<String> = [], outputs: Set<String> = [], reused = 0
        keys.reserveCapacity(pages.count)
        outputs.reserveCapacity(pages.count)
        for index in pages.indices {
            let page = pages[index]
            let key = Self.sessionKey(page.source)
            keys.insert(key)
            outputs.insert(page.source.outputPath)
            if page.reused != nil { reused += 1 }
            guard page.reused == nil, page.document != nil, let inputs = page.inputs else { continue }
            session.store(key, BuildSession.Entry(inputs: inputs, draft: .page(made[index]), proseWarnings: proseWarnings[key] ?? .none))
        }
        session.finish(keeping: keys, outputs: outputs, reused: reused)
        report.reusedPages = reused
    }

    /// The session's kept draft, or a new one; either carries `typesetInputs`, for `typeset` to
    /// reuse the page's HTML when they are unchanged. A kept page whose typeset page is kept too
    /// (`kept`, by session key and `typesetInputs`) gets only what that page holds, its draft's HTML
    /// and placeholders left out: `typeset` takes the kept page instead, and its requests from there.
    /// - Parameter typesetInputs: what the page's typeset HTML depends on: its session inputs (a
    ///   note), and those of the notes that mention it (a generated page); nil outside a session.
    /// - Returns: also whether a kept draft was decoded (``BuildReport/keptDraftsRead``), and whether
    ///   the draft is the kept typeset page's (nothing of it to fill in).
    static func draftOrKept(_ page: ExecutedPage, in site: DiscoveredSite, typesetInputs: String?,
                            kept: @Sendable (_ page: SourcePage, _ inputs: String) -> RenderedPage? = { _, _ in nil })
        -> (draft: DraftPage, readKept: Bool, fromTypeset: Bool) {
        var draft: DraftPage
        var read = false
        if let reused = page.reused {
            if reused.draft.isEncoded, let inputs = typesetInputs, let typeset = kept(page.source, inputs) {
                // What the stages read of a draft whose typeset page is kept: its title and mentions
                // (the reference pages' lists). Its headings stay in the kept page, encoded until
                // asked for (``RenderedPage/Outline``).
                draft = DraftPage(source: page.source, title: typeset.title,
                                  draft: Draft(mentions: typeset.mentions, fixes: typeset.fixes),
                                  anchorChecks: typeset.anchorChecks)
                draft.inputs = inputs
                return (draft, false, true)
            } else if let whole = reused.draft.page {
                draft = whole
                if reused.draft.isEncoded { read = true }
            } else {
                draft = DraftPage(source: page.source, title: page.source.frontMatter.title ?? page.source.key, draft: Draft(), anchorChecks: [])
                draft.draft.diagnostics = [Diagnostic(page.source.displayPath, stage: .markdown, "the cache's copy of this page is damaged",
                                                      hint: "build again with --no-cache, or delete the cache folder")]
            }
        } else {
            draft = Self.draft(page, in: site)
        }
        draft.inputs = typesetInputs
        return (draft, read, false)
    }

    /// Looks up a page's kept typeset page by its source and its draft's session inputs, for
    /// `render` and `typeset` alike (``BuildSession/rendered(_:inputs:source:)``, under the tools' fingerprint).
    func keptTypeset(_ site: DiscoveredSite) -> @Sendable (SourcePage, String) -> BuildSession.Typeset? {
        guard let session = options.session else { return { _, _ in nil } }
        let fingerprint = options.tools.fingerprint(macros: site.loaded.config.macros)
        return { page, inputs in session.rendered(Self.sessionKey(page), inputs: inputs, fingerprint: fingerprint, source: page) }
    }

    static func draft(_ page: ExecutedPage, in site: DiscoveredSite) -> DraftPage {
        let source = page.source
        guard let document = page.document else {
            return DraftPage(source: source, title: source.frontMatter.title ?? source.key, draft: Draft(), anchorChecks: [])
        }
        var checks: [AnchorCheck] = []
        let linkingFile = "\(source.language)/\(source.relativePath)"
        // A page links to the same few URLs again and again (every table cell naming a loss, every
        // plot's legend): each is resolved once per page, as the answer depends on nothing else.
        var resolved: [LinkKey: LinkResolver.Resolution] = [:]
        let draft = site.renderers[source.language]!.render(document, executed: page.blocks, path: source.displayPath) { link in
            let key = LinkKey(url: link.url, isImage: link.isImage)
            let resolution: LinkResolver.Resolution
            if let known = resolved[key] {
                resolution = known
            } else {
                resolution = site.resolver.resolve(link.url, isImage: link.isImage, source: linkingFile, sourceOutput: source.outputPath)
                resolved[key] = resolution
            }
            switch resolution {
            case .external:
                return nil
            case let .rewritten(url, check):
                if let check { checks.append(AnchorCheck(page: check.page, fragment: check.fragment, url: link.url, location: link.location)) }
                return url
            case let .broken(message, hint):
                throw Diagnostic(source.displayPath, line: link.location.line, column: link.location.column, stage: .links, message, hint: hint)
            }
        }
        let title = source.frontMatter.title ?? draft.headings.first(where: { $0.level == 1 })?.text ?? (source.key.isEmpty ? "Home" : source.key)
        return DraftPage(source: source, title: title, draft: draft, anchorChecks: checks)
    }

    /// What a link's resolution depends on within one page.
    private struct LinkKey: Hashable {
        var url: String
        var isImage: Bool
    }

    /// A reference page's list of the notes that mention its loss, in navigation order.
    /// The loss a generated page lists the mentions of: its key's last part (`reference/dice` → `dice`).
    static func mentionedID(_ source: SourcePage) -> String {
        String(source.key.split(separator: "/").last ?? "")
    }

    static func fillMentions(_ page: DraftPage, mentions: [String: [(title: String, path: String)]], in site: DiscoveredSite) -> String {
        let notes = mentions[mentionedID(page.source)] ?? []
        var list = ""
        if notes.isEmpty {
            let strings = site.loaded.theme.strings[page.source.language] ?? [:]
            list = "<p>\(escapeHTML(strings["ref_no_mentions"] ?? "ref_no_mentions"))</p>\n"
        } else {
            list = "<ul>\n"
            for note in notes {
                let url: String
                if case let .rewritten(rewritten, _) = site.resolver.resolve("../" + URLPath.encode(note.path), isImage: false,
                                                                            source: "\(page.source.language)/\(page.source.relativePath)",
                                                                            sourceOutput: page.source.outputPath) {
                    url = rewritten
                } else {
                    url = "../\(note.path)"
                }
                list += "<li><a href=\"\(escapeHTML(url))\">\(escapeHTML(note.title))</a></li>\n"
            }
            list += "</ul>\n"
        }
        return page.draft.html.utf8Replacing(ReferencePages.mentionsSlot + "\n", with: list)
    }
}

/// A link to a fragment of a page, checked once every page's ids are known.
struct AnchorCheck: Sendable, Codable {
    /// The output path of the page that must have the id.
    var page: String
    var fragment: String
    /// The link as written, for the message.
    var url: String
    var location: SourceLocation
}
