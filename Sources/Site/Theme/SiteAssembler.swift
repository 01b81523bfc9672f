import Foundation

/// Puts rendered pages into the theme: navigation, table of contents, language switcher,
/// previous/next, the language chooser at the root, the 404 page and `sitemap.xml`.
/// Results written by concurrent jobs, one slot each.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.lock(); slots[index] = value; lock.unlock() }
    subscript(index: Int) -> T? { lock.lock(); defer { lock.unlock() }; return slots[index] }
}

/// The page list rendered item by item with `nav-item.mustache`, once per folder depth: items
/// link through the site root, so pages at one depth share them, and a page's list is a choice
/// among ready-made items (its own marked current) instead of a template run over every page.
final class NavigationItems: @unchecked Sendable {
    struct Item {
        var key: String
        var plain: String
        var current: String
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

struct SiteAssembler {
    let config: SiteConfig
    let theme: Theme
    let pages: [RenderedPage]
    let translations: TranslationStatus

    /// Pages of one language in navigation order: weight, then path (the home page first on ties).
    func ordered(_ language: String) -> [RenderedPage] {
        pages.filter { $0.source.language == language }.sorted {
            ($0.source.frontMatter.weight, $0.source.key) < ($1.source.frontMatter.weight, $1.source.key)
        }
    }

    func files() -> [String: String] {
        var files: [String: String] = [:]
        var pagesByLanguage: [String: [String: RenderedPage]] = [:]
        for page in pages { pagesByLanguage[page.source.language, default: [:]][page.source.key] = page }
        let byLanguageAndKey = pagesByLanguage

        // Pages are put into the theme concurrently: every page's context is built and rendered
        // on its own, and the results are gathered by index.
        let jobs = config.languages.flatMap { language in
            ordered(language.code).enumerated().map { (language, $0.offset, $0.element) }
        }
        let orders = Dictionary(uniqueKeysWithValues: config.languages.map { ($0.code, ordered($0.code)) })
        let rendered = ConcurrentResults<String>(count: jobs.count)
        let navigation = NavigationItems()
        let itemTemplate = theme.library.getTemplate(named: "nav-item") != nil
        DispatchQueue.concurrentPerform(iterations: jobs.count) { job in
            let (language, index, page) = jobs[job]
            let strings = theme.strings[language.code] ?? [:]
            let order = orders[language.code]!
            do {
                let here = page.source.outputPath
                func link(_ target: String) -> String { LinkResolver.relativeURL(from: here, to: target) }
                let root = String(repeating: "../", count: here.split(separator: "/").count - 1)

                // Reference pages are listed under their index, and only while reading that section.
                let inReference = page.source.generated
                var navHTML = ""
                if itemTemplate {
                    // Item URLs go through the site root (`../../zh/x/index.html`), so every page at one
                    // depth shares them.
                    let folder = "depth \(root.count)"
                    func ready(_ pages: [RenderedPage]) -> [NavigationItems.Item] {
                        pages.map { other in
                            let base: [String: Any] = ["title": other.title, "url": root + other.source.outputPath, "home": other.source.key.isEmpty]
                            return NavigationItems.Item(key: other.source.outputPath,
                                                        plain: theme.render("nav-item", base.merging(["current": false]) { $1 }),
                                                        current: theme.render("nav-item", base.merging(["current": true]) { $1 }))
                        }
                    }
                    let top = navigation.items(language: language.code, folder: folder) {
                        ready(order.filter { !$0.source.generated || $0.source.key == ReferencePages.folder })
                    }
                    let children = inReference ? navigation.items(language: language.code, folder: folder + "\u{2}children") {
                        ready(order.filter { $0.source.generated && $0.source.key != ReferencePages.folder })
                    } : []
                    for item in top {
                        if item.key == "\(language.code)/\(ReferencePages.folder)/index.html", inReference {
                            let inner = children.map { $0.key == here ? $0.current : $0.plain }.joined()
                            let reference = order.first { $0.source.outputPath == item.key }!
                            navHTML += theme.render("nav-item", ["title": reference.title, "url": root + item.key, "current": item.key == here,
                                                                 "hasChildren": true, "children": inner])
                        } else {
                            navHTML += item.key == here ? item.current : item.plain
                        }
                    }
                }
                var missing: [String] = []
                let switcher: [[String: Any]] = config.languages.map { other in
                    if other.code == language.code {
                        return ["name": other.name, "code": other.code, "url": link(here), "current": true]
                    }
                    if let counterpart = byLanguageAndKey[other.code]?[page.source.key] {
                        return ["name": other.name, "code": other.code, "url": link(counterpart.source.outputPath), "current": false]
                    }
                    missing.append(other.name)
                    return ["name": other.name, "code": other.code, "url": link("\(other.code)/index.html"), "current": false,
                            "missing": true]
                }
                let toc: [[String: Any]] = page.headings.filter { $0.level == 2 || $0.level == 3 }.map {
                    ["id": $0.id, "text": $0.text, "sub": $0.level == 3]
                }
                var context: [String: Any] = [
                    "lang": language.code, "htmlLang": language.htmlLang, "siteTitle": language.title,
                    "root": root, "home": link("\(language.code)/index.html"),
                    "title": page.title, "description": page.source.frontMatter.description ?? language.description,
                    "isHome": page.source.key.isEmpty,
                    "content": page.html, "toc": toc, "hasTOC": !toc.isEmpty,
                    "navHTML": navHTML, "languages": switcher, "strings": strings,
                ]
                if !missing.isEmpty, let template = strings["missing_translation"] {
                    context["notice"] = template.replacingOccurrences(of: "{language}", with: missing.joined(separator: ", "))
                }
                if translations.isStale(language: language.code, path: page.source.relativePath), let template = strings["stale_translation"] {
                    let source = config.language(translations.sourceLanguage)?.name ?? translations.sourceLanguage
                    context["notice"] = template.replacingOccurrences(of: "{language}", with: source)
                }
                if index > 0 { context["prev"] = ["title": order[index - 1].title, "url": link(order[index - 1].source.outputPath)] }
                if index + 1 < order.count { context["next"] = ["title": order[index + 1].title, "url": link(order[index + 1].source.outputPath)] }
                rendered.set(job, theme.render("page", context))
            }
        }
        for (job, (_, _, page)) in jobs.enumerated() { files[page.source.outputPath] = rendered[job] }

        let homes: [[String: Any]] = config.languages.map { language in
            ["code": language.code, "name": language.name, "title": language.title, "description": language.description,
             "htmlLang": language.htmlLang, "url": "\(language.code)/index.html", "strings": theme.strings[language.code] ?? [:]]
        }
        let rootContext: [String: Any] = [
            "languages": homes, "default": config.languages.first?.code ?? "", "baseURL": config.baseURL,
            "htmlLang": config.languages.first?.htmlLang ?? "en", "siteTitle": config.languages.map(\.title).joined(separator: " · "),
        ]
        for language in config.languages {
            files["\(language.code)/search-index.js"] = SearchIndex.script(for: ordered(language.code))
        }
        files["index.html"] = theme.render("home", rootContext)
        files["404.html"] = theme.render("404", rootContext)
        files["sitemap.xml"] = sitemap()
        return files
    }

    /// Every page with its translations as `hreflang` alternates, at pretty URLs under `base_url`.
    func sitemap() -> String {
        var byKey: [String: [RenderedPage]] = [:]
        for page in pages { byKey[page.source.key, default: []].append(page) }
        func url(_ page: RenderedPage) -> String {
            let folder = page.source.outputPath.dropLast("index.html".count)
            return escapeHTML(config.baseURL + folder)
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        for page in pages.sorted(by: { $0.source.outputPath < $1.source.outputPath }) {
            xml += "  <url>\n    <loc>\(url(page))</loc>\n"
            for other in (byKey[page.source.key] ?? []).sorted(by: { $0.source.language < $1.source.language }) {
                let lang = config.language(other.source.language)?.htmlLang ?? other.source.language
                xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(lang)\" href=\"\(url(other))\"/>\n"
            }
            xml += "  </url>\n"
        }
        return xml + "</urlset>\n"
    }
}
