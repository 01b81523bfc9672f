import Foundation

/// What the templates see, as typed values. Each type lists the names a template may use, and
/// `values` (in this file only) is where it becomes the ``TemplateValue`` fields templates read.
///
/// Every name a type offers is a key of each of its objects, an absent optional value included
/// (``TemplateValue/null``): the template check (`TemplateUse`) knows the names from the
/// contexts rendered, so a name is never unknown only because no page had a value for it.
protocol MustacheContext {
    var values: [String: TemplateValue] { get }
}

/// `page.mustache`: one note or reference page.
struct PageContext: MustacheContext, Equatable {
    var language: Language
    /// `../` repeated up to the site root (`""` at the root).
    var root: String
    /// This language's home page, relative to this page.
    var home: String
    var title: String
    var description: String
    /// The page's absolute address under `base_url`.
    var canonical: String
    var isHome: Bool
    /// The page's HTML (trusted: rendered by us).
    var content: String
    var toc: [TOCEntry]
    /// The page list, rendered item by item with `nav-item.mustache` (empty when `navScript` brings it).
    var navHTML: String
    var languages: [LanguageLink]
    var strings: InterfaceStrings
    /// A missing or stale translation.
    var notice: String?
    /// The page says `draft: true` (built only with `--drafts`): the theme shows `strings.draft_banner`.
    var isDraft = false
    var previous: PageLink?
    var next: PageLink?
    /// The search index script of this language, relative to this page; nil when the theme has no search.
    var searchIndex: String?
    /// The language's shared page list script (``NavigationScript``), relative to this page; nil on
    /// the language's home page (which lists every page in its HTML) and for themes that do not use it.
    var navScript: String? = nil
    /// This page from the site root (`zh/focal/index.html`).
    var path: String = ""
    var values: [String: TemplateValue] {
        [
            "lang": .text(language.code), "htmlLang": .text(language.htmlLang),
            "ogLocale": .text(language.htmlLang.utf8Replacing("-", with: "_")),
            "siteTitle": .text(language.title), "root": .text(root), "home": .text(home), "title": .text(title),
            "description": .text(description), "canonical": .text(canonical), "isHome": .bool(isHome), "content": .text(content),
            "toc": TemplateValue(toc), "hasTOC": .bool(!toc.isEmpty), "navHTML": .text(navHTML),
            "languages": TemplateValue(languages), "strings": strings.value,
            "notice": TemplateValue(notice), "draft": .bool(isDraft), "prev": TemplateValue(previous), "next": TemplateValue(next),
            "searchIndex": TemplateValue(searchIndex), "navScript": TemplateValue(navScript), "hasNavScript": .bool(navScript != nil),
            "path": .text(path), "hasSearch": .bool(searchIndex != nil),
        ]
    }
}

/// A language's interface strings (`strings.yaml`), and the template object made of them once:
/// made for every page, a language's hundred strings were a dictionary of their own per page. The
/// assembler makes one per language and every page of it shares it (``SiteAssembler/interfaceStrings()``).
struct InterfaceStrings: Equatable, ExpressibleByDictionaryLiteral {
    let table: [String: String]
    /// ``table`` as the template reads it.
    let value: TemplateValue

    init(_ table: [String: String]) {
        self.table = table
        value = .object(table.mapValues(TemplateValue.text))
    }

    init(dictionaryLiteral elements: (String, String)...) { self.init(Dictionary(elements, uniquingKeysWith: { _, last in last })) }

    subscript(key: String) -> String? { table[key] }

    /// Equal when their strings are (the object is made of them).
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.table == rhs.table }
}

/// One entry of the page list (`nav-item.mustache`).
struct NavItem: MustacheContext {
    var title: String
    var url: String
    var isHome: Bool
    var current = false
    /// Rendered child items (the reference pages under their index), nil for none.
    var children: String?

    var values: [String: TemplateValue] {
        ["title": .text(title), "url": .text(url), "home": .bool(isHome), "current": .bool(current),
         "hasChildren": .bool(children != nil), "children": TemplateValue(children)]
    }
}

/// The language switcher: this page in another language, or that language's home page when missing.
struct LanguageLink: MustacheContext, Equatable {
    var language: Language
    var url: String
    var current: Bool
    var missing: Bool

    var values: [String: TemplateValue] {
        ["name": .text(language.name), "code": .text(language.code), "htmlLang": .text(language.htmlLang), "url": .text(url),
         "current": .bool(current), "missing": .bool(missing)]
    }
}

/// A `##` or `###` heading in the table of contents.
struct TOCEntry: MustacheContext, Equatable {
    var id: String
    var text: String
    var isSub: Bool

    var values: [String: TemplateValue] { ["id": .text(id), "text": .text(text), "sub": .bool(isSub)] }
}

/// Previous or next page.
struct PageLink: MustacheContext, Equatable {
    var title: String
    var url: String

    var values: [String: TemplateValue] { ["title": .text(title), "url": .text(url)] }
}

/// `home.mustache` (the language chooser at the site root) and `404.mustache`.
struct RootContext: MustacheContext {
    struct Home {
        var language: Language
        /// From the site root.
        var url: String
        var strings: [String: String]
    }
    var homes: [Home]
    var baseURL: String
    /// The path part of `base_url` (`/` or `/lossbook/`): the 404 page is served at any depth.
    var basePath: String

    var values: [String: TemplateValue] {
        [
            "languages": .list(homes.map { home in
                .object(["code": .text(home.language.code), "name": .text(home.language.name), "title": .text(home.language.title),
                         "description": .text(home.language.description), "htmlLang": .text(home.language.htmlLang),
                         "url": .text(home.url), "strings": .object(home.strings.mapValues(TemplateValue.text))])
            }),
            "default": .text(homes.first?.language.code ?? ""), "baseURL": .text(baseURL), "basePath": .text(basePath),
            "htmlLang": .text(homes.first?.language.htmlLang ?? "en"),
            "siteTitle": .text(homes.map(\.language.title).joined(separator: " · ")),
        ]
    }
}
