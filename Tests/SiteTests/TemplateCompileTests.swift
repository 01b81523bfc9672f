import Foundation
import Mustache
import XCTest
@testable import Site

/// ``CompiledTemplate`` renders what swift-mustache renders, byte for byte: every expectation
/// here is swift-mustache's own output for the same template and values, never a typed string.
final class TemplateCompileTests: XCTestCase {
    /// swift-mustache's output and the compiled one for `text` and `context`; nil for a template
    /// ``CompiledTemplate`` leaves to swift-mustache.
    func both(_ text: String, _ context: [String: TemplateValue]) throws -> (mustache: String, compiled: String?)? {
        let template = try MustacheTemplate(string: text)
        guard let compiled = CompiledTemplate(template) else { return nil }
        return (template.render(TemplateValue.object(context).mustache), compiled.render(context))
    }

    static let language = Language(code: "en", name: "English", htmlLang: "en-GB", title: "Site <&>", description: "d")
    static let other = Language(code: "zh", name: "中文", htmlLang: "zh-CN", title: "站", description: "说明")

    /// Pages that between them take every branch of the default theme's `page.mustache`: the home
    /// page, a note with contents, notice, draft banner, search and shared navigation, texts that
    /// need escaping (a quote a combining mark joins is one other character, left as it is).
    static var pages: [PageContext] {
        let base = PageContext(language: language, root: "../../", home: "../index.html", title: "Focal \"loss\" & <b>it's</b>",
                               description: "q\u{301}\"\u{301} — ünïcode", canonical: "https://x/en/focal/", isHome: false,
                               content: "<p>body & <em>html</em></p>", toc: [TOCEntry(id: "a", text: "A & B", isSub: false),
                                                                           TOCEntry(id: "b", text: "sub", isSub: true)],
                               navHTML: "<li>nav</li>",
                               languages: [LanguageLink(language: language, url: "index.html", current: true, missing: false),
                                           LanguageLink(language: other, url: "../../zh/index.html", current: false, missing: true)],
                               strings: ["skip": "Skip", "menu": "Menu's", "permalink": "#", "previous": "←", "next": "→",
                                         "on_this_page": "On this page", "missing_short": "missing <here>"],
                               notice: "Not translated: 中文", isDraft: true,
                               previous: PageLink(title: "Prev & co", url: "../prev/index.html"), next: nil,
                               searchIndex: "../../en/search.js", navScript: "../../en/nav.js", path: "en/focal/index.html")
        var home = base
        (home.isHome, home.toc, home.notice, home.isDraft, home.previous, home.next) = (true, [], nil, false, nil, PageLink(title: "n", url: "u"))
        (home.searchIndex, home.navScript, home.title, home.strings) = (nil, nil, "", [:])
        var empty = base
        (empty.languages, empty.content, empty.description, empty.notice) = ([], "", "", "")
        return [base, home, empty]
    }

    /// The default theme (the repository's `templates/` and the built-in copy) compiles whole, and
    /// renders every page, page-list item and root page as swift-mustache does.
    func testTheDefaultThemeCompilesAndRendersLikeSwiftMustache() throws {
        let folder = SiteFixture.repository.appendingPathComponent("templates")
        let theme = try Theme.load(directory: folder, displayRoot: "templates", languages: ["en", "zh"], builtIn: BuiltInTheme.files)
        XCTAssertEqual(Set(theme.compiled.keys), Set(theme.texts.keys), "every template of the default theme compiles")
        var contexts: [(String, [String: TemplateValue])] = Self.pages.map { ("page", $0.values) }
        for current in [false, true] {
            for children in [nil, "<li>c</li>"] {
                contexts.append(("nav-item", NavItem(title: "T <x>", url: "../a/", isHome: !current, current: current, children: children).values))
            }
        }
        let root = RootContext(homes: [.init(language: Self.language, url: "en/index.html", strings: ["choose": "Choose"]),
                                       .init(language: Self.other, url: "zh/index.html", strings: ["choose": "选择"])],
                               baseURL: "https://x/", basePath: "/")
        contexts += [("home", root.values), ("404", root.values)]
        for (name, context) in contexts {
            let template = try XCTUnwrap(theme.library.parsed.getTemplate(named: name))
            XCTAssertEqual(theme.compiled[name]?.render(context), template.render(TemplateValue.object(context).mustache, library: theme.library.parsed),
                           name)
        }
        // Read back as the cache keeps it (in CompactCoding's form), the theme is the same: its strings,
        // flags, warnings and names, and every render; its templates are parsed only when asked.
        let stored = try CompactCoding.decode(Theme.Stored.self, from: CompactCoding.encode(theme.stored))
        let again = Theme(stored, directory: folder, builtIn: BuiltInTheme.files)
        XCTAssertEqual(again.strings, theme.strings)
        XCTAssertEqual(again.texts, theme.texts)
        XCTAssertEqual([again.usesSearch, again.usesNavigationScript], [theme.usesSearch, theme.usesNavigationScript])
        XCTAssertEqual(again.warnings, theme.warnings)
        XCTAssertEqual(again.lookedUpNames, theme.lookedUpNames)
        XCTAssertEqual(again.compiled.mapValues(\.operations), theme.compiled.mapValues(\.operations))
        XCTAssertEqual(again.assetsDirectory, theme.assetsDirectory)
        XCTAssertEqual(again.builtInAssets, theme.builtInAssets)
        for (name, context) in contexts {
            XCTAssertEqual(again.compiled[name]?.render(context), theme.compiled[name]?.render(context), name)
            let template = try XCTUnwrap(again.library.parsed.getTemplate(named: name))
            XCTAssertEqual(template.render(TemplateValue.object(context).mustache, library: again.library.parsed),
                           theme.compiled[name]?.render(context), name)
        }
    }

    /// Mustache's corners, each against swift-mustache: standalone lines, inverted sections,
    /// lists, `.`, dotted and anchored names, lookups up the stack (and an absent value that stops
    /// them), an empty text opening its section, flags printed as words.
    func testMustacheCornersRenderLikeSwiftMustache() throws {
        let context: [String: TemplateValue] = [
            "name": .text("A&B 'q' <\"x\">"), "empty": .text(""), "yes": .bool(true), "no": .bool(false), "none": .null,
            "items": .list([.text("x<"), .text("y")]), "nothing": .list([]),
            "people": .list([.object(["name": .text("p1"), "age": .null]), .object(["age": .text("3")])]),
            "a": .object(["b": .object(["c": .text("deep")]), "name": .text("inner")]),
        ]
        let templates = [
            "Hello {{name}} {{{name}}} {{&name}}!",
            "{{yes}} {{no}} [{{none}}] [{{missing}}] [{{a.b.c}}] [{{a.x.c}}] [{{none.x}}]",
            "line\n  {{#yes}}\n  in\n  {{/yes}}\nafter\n",
            "  {{^no}}  \nnot\n{{/no}}\n{{! a comment }}\n  {{! standalone }}  \nend",
            "{{#items}}<{{.}}>{{/items}}{{^items}}none{{/items}}{{#nothing}}x{{/nothing}}{{^nothing}}empty{{/nothing}}",
            "{{#people}}{{name}}:{{age}}|{{/people}}",
            "{{#a}}{{name}} {{.name}} {{b.c}} {{#b}}{{c}} {{name}} {{.name}}{{/b}}{{/a}}",
            "{{#empty}}[open:{{.}}]{{/empty}}{{^empty}}closed{{/empty}}{{#none}}x{{/none}}{{^none}}gone{{/none}}",
            "{{#name}}{{.}} {{name}}{{/name}} {{#a.b}}{{c}}{{/a.b}}",
            "\r\n{{#yes}}\r\nwindows\r\n{{/yes}}\r\n",
        ]
        for text in templates {
            let rendered = try XCTUnwrap(try both(text, context), text)
            XCTAssertEqual(rendered.compiled, rendered.mustache, text.debugDescription)
        }
    }

    /// What the compiled form does not take is left to swift-mustache: a template with a partial
    /// or a transform is not compiled, and a list or an object printed with `{{x}}` (which
    /// swift-mustache prints with Swift's `description`) makes the render return nil.
    func testWhatIsNotCompiledFallsBackToSwiftMustache() throws {
        XCTAssertNil(try both("{{> other}}", [:]))
        XCTAssertNil(try both("{{uppercased(name)}}", ["name": .text("a")]))
        XCTAssertNil(try both("{{$block}}x{{/block}}", [:]))
        let list = try XCTUnwrap(try both("{{items}}", ["items": .list([.text("a")])]))
        XCTAssertNil(list.compiled)
        let object = try XCTUnwrap(try both("{{#yes}}{{.}}{{/yes}}", ["yes": .bool(true)]))
        XCTAssertNil(object.compiled, "`.` is the context object here")
    }

    /// A template's tags are found once per text (``TemplateCheck/tags(_:)``) and are that text's:
    /// two templates of one length, each asked twice, and a text edited back and forth, as a
    /// `serve` session's template is.
    func testATemplatesTagsAreThoseOfItsOwnText() throws {
        let first = "<p>{{title}}</p>\n{{#items}}{{name}}{{/items}}", second = "<p>{{other}}</p>\n{{#things}}{{x}}{{/things}}x"
        XCTAssertEqual(first.utf8.count, second.utf8.count)
        func names(_ text: String) -> [String] { TemplateCheck.tags(text).map { "\($0.kind.map(String.init) ?? "")\($0.name)@\($0.line):\($0.column)" } }
        // The reference: each `{{…}}` found by splitting at the braces, placed by the lines before it.
        func reference(_ text: String) -> [String] {
            var found: [String] = [], before = ""
            for (index, piece) in text.components(separatedBy: "{{").enumerated() {
                if index > 0 {
                    let lines = before.components(separatedBy: "\n")
                    found.append("\(piece.components(separatedBy: "}}")[0])@\(lines.count):\(lines.last!.count + 1)")
                    before += "{{"
                }
                before += piece
            }
            return found
        }
        for _ in 0..<2 {
            XCTAssertEqual(names(first), reference(first))
            XCTAssertEqual(names(second), reference(second))
        }
        XCTAssertEqual(names(first).count, 4)
        XCTAssertNotEqual(names(first), names(second))
        // Edited back and forth, as a `serve` session's template; two normalisations of one name
        // (equal as `String`s, not as bytes) keep their own bytes; an unfinished tag found through the same scan.
        let composed = "{{caf\u{E9}}}", decomposed = "{{cafe\u{301}}}"
        XCTAssertEqual(composed, decomposed)
        for text in [first, composed, decomposed, first, decomposed, composed] {
            XCTAssertEqual(names(text), reference(text))
            XCTAssertTrue(TemplateCheck.tags(text).allSatisfy { tag in text.utf8.count >= tag.name.utf8.count && text.contains(tag.name) })
        }
        XCTAssertEqual(Array(TemplateCheck.tags(decomposed)[0].name.utf8), Array("cafe\u{301}".utf8))
        XCTAssertEqual(Array(TemplateCheck.tags(composed)[0].name.utf8), Array("caf\u{E9}".utf8))
        let unfinished = "<p>{{title}}</p>\n  {{open"
        XCTAssertNil(TemplateCheck.unfinishedTag(first))
        for _ in 0..<2 {
            let place = try XCTUnwrap(TemplateCheck.unfinishedTag(unfinished))
            let second = unfinished.components(separatedBy: "\n")[1]
            XCTAssertEqual([place.line, place.column], [2, second.distance(from: second.startIndex, to: second.range(of: "{{")!.lowerBound) + 1])
        }
    }
}
