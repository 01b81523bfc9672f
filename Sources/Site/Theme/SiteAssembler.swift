import Foundation

/// The page list rendered item by item with `nav-item.mustache`, once per folder depth: items
/// link through the site root, so pages at one depth share them, and a page's list is a choice
/// among ready-made items (its own marked current) instead of a template run over every page.
final class NavigationItems: @unchecked Sendable {
    struct Item {
        var key: String
        var plain: String
        /// The item marked current, rendered only for the page it stands for (``current(_:)``):
        /// the shared script (``NavigationScript``) and every other page show it plain.
        var marked: NavItem

        func current(_ theme: Theme) -> String { theme.render("nav-item", marked) }
    }
    private let lock = NSLock()
    private var byFolder: [String: [Item]] = [:]

    func items(language: String, folder: String, make: () -> [Item]) -> [Item] {
        let key = language + "\u{1}" + folder
        lock.lock()
        if let known = byFolder[key] { lock.unlock(); return known }
        lock.unlock()
        let items = make()
        lock.lock()
        byFolder[key] = items
        lock.unlock()
        return items
    }
}

/// A site's output files: the pages as the slices they are written from and the site-wide files
/// (the search indexes, the sitemap) whole (``PageFile``), the rest (root pages, scripts, feeds)
/// as texts; no path in both.
struct SiteOutput {
    var texts: [String: String]
    var pages: [String: PageFile]
    /// Pages, and site-wide files (``SiteWideFile``), left as the previous site holds them
    /// (``AssembledPages``): linked, not written.
    var kept: Set<String> = []
    /// How many of ``kept`` are site-wide files, not pages.
    var keptSiteFiles = 0

    var paths: Set<String> { Set(texts.keys).union(pages.keys).union(kept) }

    /// Every file as a text (the pages joined).
    var allTexts: [String: String] { texts.merging(pages.mapValues(\.text)) { text, _ in text } }
}

/// Puts rendered pages into the theme: navigation, table of contents, language switcher,
/// previous/next, the language chooser at the root, the 404 page and `sitemap.xml`.
struct SiteAssembler {
    let config: SiteConfig
    let theme: Theme
    let pages: [RenderedPage]
    let translations: TranslationStatus
    /// A note's file (absolute path) → its last commit's date, for `<lastmod>` (``GitDates``).
    var lastModified: [String: String] = [:]
    /// `serve`'s session: an unchanged page in an unchanged context keeps its HTML and search entry.
    var session: BuildSession? = nil
    /// `build`'s record of the pages in the theme (with a page memo): an unchanged page in an
    /// unchanged context whose file in `output` is still the one recorded is left as it is.
    var assembledPages: AssembledPages? = nil
    /// The output folder's path (its target when it is a link), where ``assembledPages`` looks.
    var output = ""

    /// A hash of what every page's context (``pageContext(_:language:index:order:navigation:counterparts:content:)``)
    /// reads besides the page's own inputs (its ``RenderedPage/identity``, which also stands for the
    /// templates, strings and configuration file): the site's address and languages, the interface
    /// strings, and every page's place in its language's order with what another page's context
    /// shows of it (title, path, key, whether generated) and whether it is a stale translation.
    /// A page whose identity and these are unchanged has the context it had (``AssembledPages``).
    func contextInputs(orders: [String: [RenderedPage]], stringsHashes: [String: UInt64]) -> UInt64 {
        // Each field as its length in decimal, a colon and its bytes, hashed where they are (the
        // length made a string for each of 8,000 pages' six fields was 11 M instructions of a prose edit).
        var hash = FNV1a64Text()
        func add(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                hash.add(decimal: bytes.count)
                hash.add(byte: UInt8(ascii: ":"))
                hash.add(bytes)
            }
        }
        add(config.baseURL)
        add(translations.sourceLanguage)
        add("\(theme.usesSearch) \(sharesNavigation)")
        for language in config.languages {
            for field in [language.code, language.name, language.htmlLang, language.title, language.description] { add(field) }
            add(String(stringsHashes[language.code] ?? 0))
            for page in orders[language.code] ?? [] {
                let source = page.source
                for field in [page.title, source.outputPath, source.key, source.relativePath, source.frontMatter.description ?? "\u{1}"] { add(field) }
                add("\(source.generated) \(source.frontMatter.draft) \(source.frontMatter.weight) \(translations.isStale(language: language.code, path: source.relativePath))")
            }
        }
        return hash.hash
    }

    /// Pages of one language in navigation order: weight, then path (the home page first on ties).
    func ordered(_ language: String) -> [RenderedPage] {
        pages.filter { $0.source.language == language }.sorted {
            ($0.source.frontMatter.weight, $0.source.key) < ($1.source.frontMatter.weight, $1.source.key)
        }
    }

    /// Every output file: the pages as the slices they are written from and the site-wide files
    /// whole (``PageFile``), the rest as texts.
    func files() -> SiteOutput {
        var files: [String: String] = [:]
        var pagesByLanguage: [String: [String: RenderedPage]] = [:]
        for page in pages { pagesByLanguage[page.source.language, default: [:]][page.source.key] = page }
        let byLanguageAndKey = pagesByLanguage

        // The root pages and the shared page lists first: their contexts' keys (`basePath`, a
        // navigation item's) may be ones no page has, and once the template check knows every name
        // it stops walking contexts (``ContextKeys``).
        let basePath = URL(string: config.baseURL)?.path ?? "/"
        let root = RootContext(homes: config.languages.map {
            RootContext.Home(language: $0, url: "\($0.code)/index.html", strings: theme.strings[$0.code] ?? [:])
        }, baseURL: config.baseURL, basePath: basePath.hasSuffix("/") ? basePath : basePath + "/")
        files["index.html"] = theme.render("home", root)
        files["404.html"] = theme.render("404", root)
        let orders = Dictionary(uniqueKeysWithValues: config.languages.map { ($0.code, ordered($0.code)) })
        let navigation = NavigationItems()

        // The interface strings are one object for every page of a language: hashed once.
        // With ``assembledPages``, or a `serve` session that keeps pages in the theme (``BuildSession/assembled(_:identity:inputs:context:_:)``).
        let keepsThemePages = assembledPages != nil || session?.keepsThemePages == true
        let interfaceStrings = interfaceStrings()
        let stringsHashes: [String: UInt64] = !keepsThemePages ? [:] : Dictionary(uniqueKeysWithValues: config.languages.map { language in
            var hash = ContextHash()
            hash.add(interfaceStrings[language.code]!.value)
            return (language.code, hash.value)
        })
        let contextInputs = !keepsThemePages ? 0 : self.contextInputs(orders: orders, stringsHashes: stringsHashes)

        // A language's page list is left as the previous site holds it when what it is made from
        // is unchanged (``navigationScriptInputs(contextInputs:language:)``): rendering its items
        // was 2 % of a prose edit's CPU at 2,000 pages per language.
        var keptScripts: Set<String> = [], keptItems = false
        if sharesNavigation {
            for language in config.languages {
                let path = NavigationScript.path(language: language.code)
                let inputs = keepsThemePages ? navigationScriptInputs(contextInputs: contextInputs, language: language.code) : 0
                if leftInPlace(path, inputs: inputs) {
                    keptScripts.insert(path)
                    keptItems = keptItems || !orders[language.code]!.isEmpty
                    continue
                }
                let make = {
                    NavigationScript.script(items: navigationHTML(nil, language: language.code, root: "", order: orders[language.code]!,
                                                                  navigation: navigation))
                }
                // A `serve` session keeps the script it made under what it was made from (as the
                // site-wide files below): made again after a prose edit, its items were 4 % of a
                // rebuild's CPU samples at 2,000 pages per language.
                guard let session, session.keepsThemePages else {
                    files[path] = make()
                    continue
                }
                var made = false
                files[path] = session.memo("navigation " + path, key: String(inputs)) { made = true; return make() }
                if !made { keptItems = keptItems || !orders[language.code]!.isEmpty }
            }
        }
        // A kept list's items are not rendered. The template check (``ContextKeys``) would still see
        // an item's names, through each language's home page, which shows its list inline and whose
        // context is made and recorded, kept or not, until the check has settled; but until then
        // every kept page's context is made and walked too (a prose edit's `assemble` went from 28
        // to 195 ms at 2,000 pages per language). An item's names are shown here instead, as a
        // rendered list would show them: a kept list of at least one item had them.
        if keptItems, !theme.contextKeys.isSettled {
            theme.contextKeys.record(NavItem(title: "", url: "", isHome: false).values)
        }

        // The site-wide files each take one long job (a language's search index, the sitemap):
        // they start first, and the pages fill the other cores beside them, instead of the last
        // of them running on one core after every page.
        let searchIndices: [SiteWideFile] = theme.usesSearch ? config.languages.map { language in
            let order = orders[language.code]!
            return SiteWideFile(path: SearchIndex.path(language: language.code), inputs: { Self.searchIndexInputs(order) }) {
                PageFile(utf8: SearchIndex.script(for: order, session: session))
            }
        } : []
        let siteWide = searchIndices + [SiteWideFile(path: "sitemap.xml", inputs: { [lastModified = self.lastModified] in
            Self.sitemapInputs(contextInputs: contextInputs, lastModified: lastModified)
        }, make: { PageFile(sitemap()) })]
        let madeSiteWide = ConcurrentResults<PageFile>(count: siteWide.count)
        let keptSiteWide = ConcurrentResults<Bool>(count: siteWide.count)

        // Pages are put into the theme concurrently: every page's context is built and rendered
        // on its own, and the results are gathered by index.
        let jobs = config.languages.flatMap { language in
            orders[language.code]!.enumerated().map { (language, $0.offset, $0.element) }
        }
        let rendered = ConcurrentResults<PageFile>(count: jobs.count)
        let kept = ConcurrentResults<Bool>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: siteWide.count + jobs.count) { job in
            guard job >= siteWide.count else {
                let file = siteWide[job]
                // Left as the previous site holds it when what it is made from is unchanged.
                if let inputs = file.inputs(), leftInPlace(file.path, inputs: inputs) { return keptSiteWide.set(job, true) }
                // A `serve` session keeps the file it made under what it was made from.
                if let session, session.keepsThemePages, let inputs = file.inputs() {
                    return madeSiteWide.set(job, session.memo("site-wide " + file.path, key: String(inputs), file.make))
                }
                return madeSiteWide.set(job, file.make())
            }
            let job = job - siteWide.count
            let (language, index, page) = jobs[job]
            let order = orders[language.code]!
            let makeContext = {
                pageContext(page, language: language, index: index, order: order, navigation: navigation,
                            counterparts: { byLanguageAndKey[$0]?[page.source.key] }, content: false, strings: interfaceStrings[language.code])
            }
            // The context's values, when its fingerprint was made: the page's shell is rendered from them too.
            var madeValues: [String: TemplateValue]?
            if let assembledPages, let identity = page.identity,
               assembledPages.unchanged(page.source.outputPath, identity: identity, inputs: contextInputs, context: {
                   let values = makeContext().values
                   madeValues = values
                   return PageContext.fingerprint(values: values, strings: stringsHashes[language.code]!)
               }, output: output) {
                // The template check still sees its keys until it has settled (``ContextKeys``).
                if !theme.contextKeys.isSettled {
                    var shown = madeValues ?? makeContext().values
                    shown["content"] = .text(page.htmlIsEmpty ? "" : Theme.contentMarker)
                    theme.contextKeys.record(shown)
                }
                return kept.set(job, true)
            }
            guard let session, session.keepsThemePages, let identity = page.identity else {
                // The context's `strings` are the language's (``pageContext(_:language:index:order:navigation:counterparts:content:strings:)``).
                return rendered.set(job, theme.pageFile(madeValues ?? makeContext().values, html: page.html,
                                                        permalinkLabel: interfaceStrings[language.code]!["permalink"] ?? "#"))
            }
            // `content` is empty here: the page's identity stands for it. A kept page brings the
            // keys its context had, for the template check, without its context being walked again;
            // its context is not even made when its identity and the context inputs are unchanged.
            let kept = session.assembled(page.source.outputPath, identity: identity, inputs: contextInputs, context: makeContext) { context in
                // The values made once, for the shell and for the keys.
                var values = context.values
                let html = theme.pageFile(values, html: page.html, permalinkLabel: context.strings["permalink"] ?? "#").text
                values["content"] = .text(page.html.joined) // the keys as the template saw them: `content` empty only for an empty page
                return (html, ContextKeys.found(in: values))
            }
            theme.contextKeys.record(kept.keys)
            rendered.set(job, PageFile(kept.html))
        }
        // One file per path, as when they all were texts: a page replaces the root pages and
        // scripts made before it, a site-wide file the page (a collision reported before writing).
        var pageFiles: [String: PageFile] = [:], keptFiles: Set<String> = []
        for (job, (_, _, page)) in jobs.enumerated() {
            if kept[job] == true {
                pageFiles[page.source.outputPath] = nil
                keptFiles.insert(page.source.outputPath)
            } else {
                pageFiles[page.source.outputPath] = rendered[job]
                keptFiles.remove(page.source.outputPath)
            }
            files[page.source.outputPath] = nil
        }
        var keptSiteFiles = keptScripts.count
        keptFiles.formUnion(keptScripts)
        for (job, file) in siteWide.enumerated() {
            files[file.path] = nil
            if keptSiteWide[job] == true {
                pageFiles[file.path] = nil
                keptFiles.insert(file.path)
                keptSiteFiles += 1
            } else {
                pageFiles[file.path] = madeSiteWide[job]!
                keptFiles.remove(file.path)
            }
        }
        return SiteOutput(texts: files, pages: pageFiles, kept: keptFiles, keptSiteFiles: keptSiteFiles)
    }

    /// Everything `page.mustache` shows for one page.
    /// - Parameters:
    ///   - index: the page's place in `order`, its language's pages in navigation order.
    ///   - counterparts: the same page in another language, by language code.
    ///   - content: false leaves `content` empty (the caller fills it when it needs it).
    ///   - strings: the language's ``interfaceStrings()``, when made already.
    func pageContext(_ page: RenderedPage, language: Language, index: Int, order: [RenderedPage], navigation: NavigationItems,
                     counterparts: (String) -> RenderedPage?, content: Bool = true, strings: InterfaceStrings? = nil) -> PageContext {
        let strings = strings ?? InterfaceStrings(theme.strings[language.code] ?? [:])
        let here = page.source.outputPath
        func link(_ target: String) -> String { LinkResolver.relativeURL(from: here, to: target) }
        let root = String(repeating: "../", count: max(0, SitePath.parts(here).count - 1))

        var missing: [String] = []
        let switcher = config.languages.map { other -> LanguageLink in
            if other.code == language.code { return LanguageLink(language: other, url: link(here), current: true, missing: false) }
            if let counterpart = counterparts(other.code) {
                return LanguageLink(language: other, url: link(counterpart.source.outputPath), current: false, missing: false)
            }
            missing.append(other.name)
            return LanguageLink(language: other, url: link("\(other.code)/index.html"), current: false, missing: true)
        }
        var notice: String?
        if !missing.isEmpty, let template = strings["missing_translation"] {
            notice = template.utf8Replacing("{language}", with: missing.joined(separator: ", "))
        }
        if translations.isStale(language: language.code, path: page.source.relativePath), let template = strings["stale_translation"] {
            let source = config.language(translations.sourceLanguage)?.name ?? translations.sourceLanguage
            notice = template.utf8Replacing("{language}", with: source)
        }
        func pageLink(_ other: RenderedPage) -> PageLink { PageLink(title: other.title, url: link(other.source.outputPath)) }
        return PageContext(
            language: language, root: root, home: link("\(language.code)/index.html"),
            title: page.title, description: page.source.frontMatter.description ?? language.description,
            canonical: config.baseURL + URLPath.encode(page.source.outputPath.dropLast("index.html".count)),
            isHome: page.source.key.isEmpty, content: content ? Permalinks.file(for: page.html, label: strings["permalink"] ?? "#").text : "",
            toc: page.headings.filter { $0.level == 2 || $0.level == 3 }.map { TOCEntry(id: $0.id, text: $0.text, isSub: $0.level == 3) },
            navHTML: sharesNavigation && !page.source.key.isEmpty
                ? "" : navigationHTML(page, language: language.code, root: root, order: order, navigation: navigation),
            languages: switcher, strings: strings, notice: notice, isDraft: page.source.frontMatter.draft,
            previous: index > 0 ? pageLink(order[index - 1]) : nil,
            next: index + 1 < order.count ? pageLink(order[index + 1]) : nil,
            searchIndex: theme.usesSearch ? root + SearchIndex.path(language: language.code) : nil,
            navScript: sharesNavigation && !page.source.key.isEmpty ? root + NavigationScript.path(language: language.code) : nil,
            path: here)
    }

    /// Each language's interface strings, made once for all its pages (``InterfaceStrings``).
    func interfaceStrings() -> [String: InterfaceStrings] {
        Dictionary(config.languages.map { ($0.code, InterfaceStrings(theme.strings[$0.code] ?? [:])) }, uniquingKeysWith: { first, _ in first })
    }

    /// Pages other than a language's home load the page list from one script per language
    /// (``NavigationScript``) when the theme asks for it, so that no page carries the whole list.
    var sharesNavigation: Bool { theme.usesNavigationScript && theme.library.has("nav-item") }

    /// The page list with this page marked current. Reference pages are listed under their index,
    /// and only while reading that section. For `page` nil, the list of the shared script: nothing
    /// current, every reference page under its index.
    func navigationHTML(_ page: RenderedPage?, language: String, root: String, order: [RenderedPage], navigation: NavigationItems) -> String {
        guard theme.library.has("nav-item") else { return "" }
        let here = page?.source.outputPath ?? ""
        let inReference = page?.source.generated ?? true
        // Item URLs go through the site root (`../../zh/x/index.html`), so every page at one depth shares them.
        let folder = "depth \(root.count)"
        func ready(_ pages: [RenderedPage]) -> [NavigationItems.Item] {
            pages.map { other in
                let item = NavItem(title: other.title, url: root + URLPath.encode(other.source.outputPath), isHome: other.source.key.isEmpty)
                var current = item
                current.current = true
                return NavigationItems.Item(key: other.source.outputPath, plain: theme.render("nav-item", item), marked: current)
            }
        }
        let top = navigation.items(language: language, folder: folder) {
            ready(order.filter { !$0.source.generated || $0.source.key == ReferencePages.folder })
        }
        let children = inReference ? navigation.items(language: language, folder: folder + "\u{2}children") {
            ready(order.filter { $0.source.generated && $0.source.key != ReferencePages.folder })
        } : []
        var html = ""
        for item in top {
            if item.key == "\(language)/\(ReferencePages.folder)/index.html", inReference {
                let reference = order.first { $0.source.outputPath == item.key }!
                html += theme.render("nav-item", NavItem(title: reference.title, url: root + URLPath.encode(item.key), isHome: false, current: item.key == here,
                                                         children: children.map { $0.key == here ? $0.current(theme) : $0.plain }.joined()))
            } else {
                html += item.key == here ? item.current(theme) : item.plain
            }
        }
        return html
    }

    /// Every page with its translations as `hreflang` alternates, at pretty URLs under `base_url`.
    func sitemap() -> String {
        // Pages by index, not copied: sorting 4,000 pages moved every one of them twice.
        var byKey: [String: [Int]] = [:]
        for (index, page) in pages.enumerated() { byKey[page.source.key, default: []].append(index) }
        let urls = pages.map { page in escapeHTML(config.baseURL + URLPath.encode(page.source.outputPath.dropLast("index.html".count))) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        for index in pages.indices.sorted(by: { pages[$0].source.outputPath < pages[$1].source.outputPath }) {
            let page = pages[index]
            xml += "  <url>\n    <loc>\(urls[index])</loc>\n"
            // Without dates (a site outside git) no page's path is made absolute to look one up.
            if !lastModified.isEmpty, !page.source.generated, let date = lastModified[Self.absolutePath(page.source.displayPath)] {
                xml += "    <lastmod>\(date)</lastmod>\n"
            }
            for other in (byKey[page.source.key] ?? []).sorted(by: { pages[$0].source.language < pages[$1].source.language }) {
                let lang = config.language(pages[other].source.language)?.htmlLang ?? pages[other].source.language
                xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(lang)\" href=\"\(urls[other])\"/>\n"
            }
            xml += "  </url>\n"
        }
        return xml + "</urlset>\n"
    }
}

/// A file made from the whole site (a language's search index, the sitemap): with ``AssembledPages``,
/// left as the previous site holds it when a hash of everything it is made from is the one its
/// record has, and its file is still the one recorded. A prose edit changes one language's
/// search index: the other one and the sitemap (5 MB and 0.7 MB at 2,000 pages per language) are neither
/// made, compared nor written again.
struct SiteWideFile: Sendable {
    /// Its record's identity (a page's is its inputs): the page memo's identity, which the record
    /// holds under, stands for the binary, the tools and the options that make it.
    static let identity = "site-wide file 1"
    var path: String
    /// What it is made from, hashed; nil: made every build.
    var inputs: @Sendable () -> UInt64?
    var make: @Sendable () -> PageFile
}

extension SiteAssembler {
    /// A language's search index reads, of each of its pages in order, what its entry is kept
    /// under (``SearchIndex/script(for:session:)``): the typeset page's identity (which stands for
    /// its HTML), its title and its output path. Nil when a page has no identity (no session).
    static func searchIndexInputs(_ order: [RenderedPage]) -> UInt64? {
        var hash = ContextHash()
        for page in order {
            guard let identity = page.identity else { return nil }
            for field in [identity, page.title, page.source.outputPath] { hash.add(field) }
        }
        return hash.value
    }

    /// Whether a site-wide file (``SiteWideFile``, a page list script) made from `inputs` can stay
    /// as the previous site holds it (``AssembledPages``); either way it is noted for the record.
    /// Its inputs are all it is made from, so they are its context too: a page whose context inputs
    /// changed is still kept when its own context hashes the same, a site-wide file never.
    func leftInPlace(_ path: String, inputs: UInt64) -> Bool {
        assembledPages?.unchanged(path, identity: SiteWideFile.identity, inputs: inputs, context: { inputs }, output: output) ?? false
    }

    /// A language's page list script (``NavigationScript``) reads every page's title, path, key and
    /// place in its language's order (all in ``contextInputs(orders:stringsHashes:)``) through the
    /// templates (`nav-item.mustache` and any partial it names: every template's text is hashed).
    func navigationScriptInputs(contextInputs: UInt64, language: String) -> UInt64 {
        var hash = ContextHash()
        hash.add("navigation script 1")
        hash.add(language)
        hash.add(String(contextInputs))
        for name in theme.texts.keys.sorted() {
            hash.add(name)
            hash.add(theme.texts[name]!)
        }
        return hash.value
    }

    /// The sitemap reads the pages' output paths, keys, languages and whether each is generated,
    /// the site's address and the languages' `html_lang` (all in ``contextInputs(orders:stringsHashes:)``),
    /// and the notes' commit dates (hashed in any order: a sum of each date's hash).
    static func sitemapInputs(contextInputs: UInt64, lastModified: [String: String]) -> UInt64 {
        var dates: UInt64 = 0
        for (file, date) in lastModified { dates &+= fnv1a64("\(file.utf8.count):\(file)\u{1}\(date)".utf8) }
        return fnv1a64("\(contextInputs) \(lastModified.count) \(dates)".utf8)
    }
}
