import Foundation

/// What the templates see, as typed values. Each type lists the names a template may use, and
/// `mustache` (in this file only) is where a value becomes the dictionary swift-mustache reads.
///
/// Every name a type offers is a key of each of its dictionaries, an absent optional value
/// included (as ``optional(_:)``): the template check (`TemplateUse`) knows the names from the
/// contexts rendered, so a name is never unknown only because no page had a value for it.
protocol MustacheContext {
    var mustache: [String: Any] { get }
}

extension MustacheContext {
    /// An optional value for the dictionary: `NSNull` when absent, which swift-mustache reads as
    /// a missing key (renders nothing, a false section).
    func optional(_ value: Any?) -> Any { value ?? NSNull() }
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
    var strings: [String: String]
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

    var mustache: [String: Any] {
        var context: [String: Any] = [
            "lang": language.code, "htmlLang": language.htmlLang, "ogLocale": language.htmlLang.replacingOccurrences(of: "-", with: "_"),
            "siteTitle": language.title, "root": root, "home": home, "title": title, "description": description,
            "canonical": canonical, "isHome": isHome, "content": content,
            "toc": toc.map(\.mustache), "hasTOC": !toc.isEmpty, "navHTML": navHTML,
            "languages": languages.map(\.mustache), "strings": strings,
        ]
        context["notice"] = optional(notice)
        context["draft"] = isDraft
        context["prev"] = optional(previous?.mustache)
        context["next"] = optional(next?.mustache)
        context["searchIndex"] = optional(searchIndex)
        context["navScript"] = optional(navScript)
        context["hasNavScript"] = navScript != nil
        context["path"] = path
        context["hasSearch"] = searchIndex != nil
        return context
    }
}

/// One entry of the page list (`nav-item.mustache`).
struct NavItem: MustacheContext {
    var title: String
    var url: String
    var isHome: Bool
    var current = false
    /// Rendered child items (the reference pages under their index), nil for none.
    var children: String?

    var mustache: [String: Any] {
        ["title": title, "url": url, "home": isHome, "current": current, "hasChildren": children != nil, "children": optional(children)]
    }
}

/// The language switcher: this page in another language, or that language's home page when missing.
struct LanguageLink: MustacheContext, Equatable {
    var language: Language
    var url: String
    var current: Bool
    var missing: Bool

    var mustache: [String: Any] {
        ["name": language.name, "code": language.code, "htmlLang": language.htmlLang, "url": url, "current": current, "missing": missing]
    }
}

/// A `##` or `###` heading in the table of contents.
struct TOCEntry: MustacheContext, Equatable {
    var id: String
    var text: String
    var isSub: Bool

    var mustache: [String: Any] { ["id": id, "text": text, "sub": isSub] }
}

/// Previous or next page.
struct PageLink: MustacheContext, Equatable {
    var title: String
    var url: String

    var mustache: [String: Any] { ["title": title, "url": url] }
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

    var mustache: [String: Any] {
        [
            "languages": homes.map { home -> [String: Any] in
                ["code": home.language.code, "name": home.language.name, "title": home.language.title,
                 "description": home.language.description, "htmlLang": home.language.htmlLang, "url": home.url, "strings": home.strings]
            },
            "default": homes.first?.language.code ?? "", "baseURL": baseURL, "basePath": basePath,
            "htmlLang": homes.first?.language.htmlLang ?? "en", "siteTitle": homes.map(\.language.title).joined(separator: " · "),
        ]
    }
}
