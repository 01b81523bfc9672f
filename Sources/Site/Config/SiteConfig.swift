import Foundation
import Yams

/// One site language, e.g. `zh` with `html_lang: zh-CN`.
public struct Language: Sendable, Equatable {
    /// The folder under `content/` and `site/`.
    public var code: String
    /// How the language names itself in the switcher (`中文`, `English`).
    public var name: String
    /// The `<html lang>` value.
    public var htmlLang: String
    public var title: String
    public var description: String
}

/// `content/lossbook.yaml`: languages, titles, math macros. Unknown keys are errors.
public struct SiteConfig: Sendable {
    public static let fileName = "lossbook.yaml"

    /// In order; the first is the default.
    public var languages: [Language]
    /// Absolute URL the site is published at, for `sitemap.xml` (ends with `/`).
    public var baseURL: String
    /// Whether `base_url` was given (without it the sitemap's URLs are relative to the root).
    public var hasBaseURL = false
    /// KaTeX macros every page can use, e.g. `\R: \mathbb{R}`.
    public var macros: [String: String]
    /// Generate a reference page per loss (`reference_pages: false` leaves them out).
    public var referencePages = true
    /// Bounds on the work one input may ask for (`limits:`; see ``Limits``).
    public var limits = Limits()

    public func language(_ code: String) -> Language? { languages.first { $0.code == code } }

    public static func load(contentDirectory: URL, displayPath: String) throws -> SiteConfig {
        let url = contentDirectory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if FileManager.default.fileExists(atPath: url.path) {
                throw Diagnostic(displayPath, stage: .config, "cannot read the site configuration", hint: "check that the file is readable")
            }
            throw Diagnostic(displayPath, stage: .config, "cannot read the site configuration",
                             hint: "create \(fileName) with 'languages:' (see README)")
        }
        return try parse(SourceFiles.decode(data, path: displayPath), path: displayPath)
    }

    static func parse(_ text: String, path: String) throws -> SiteConfig {
        let reader = YAMLReader(path: path, lineOffset: 0, stage: .config)
        var languages: [Language] = []
        var baseURL = "/"
        var macros: [String: String] = [:]
        var sawLanguages = false
        var sawBaseURL = false
        var referencePages = true
        var limits = Limits()
        var limitsNode: Node?
        for (key, keyNode, value) in try reader.mapping(text) {
            switch key {
            case "reference_pages":
                referencePages = try reader.bool(value, key)
            case "base_url":
                baseURL = try reader.string(value, key)
                guard Self.isWebAddress(baseURL) else {
                    throw reader.diagnostic(value, "'base_url' must be an absolute http or https address, not '\(baseURL)'",
                                            hint: "such as https://example.org/notes/")
                }
                sawBaseURL = true
                if !baseURL.hasSuffix("/") { baseURL += "/" }
            case "languages":
                sawLanguages = true
                guard let sequence = value.sequence, !sequence.isEmpty else {
                    throw reader.diagnostic(value, "'languages' must be a list of languages")
                }
                for item in sequence {
                    let parsed = try language(item, reader)
                    if languages.contains(where: { $0.code == parsed.code }) {
                        throw reader.diagnostic(item.mapping?["code"] ?? item, "language '\(parsed.code)' is listed twice",
                                                hint: "each language is one folder of content/; remove or rename this one")
                    }
                    languages.append(parsed)
                }
            case "limits":
                limits = try Limits.parse(value, reader)
                limitsNode = value
            case "math":
                for (mathKey, mathKeyNode, mathValue) in try reader.pairs(value) {
                    guard mathKey == "macros" else { throw reader.unknownKey(mathKeyNode, mathKey, known: ["macros"]) }
                    for (name, nameNode, expansion) in try reader.pairs(mathValue) {
                        guard name.hasPrefix("\\") else {
                            throw reader.diagnostic(nameNode, "macro name '\(name)' must start with a backslash")
                        }
                        macros[name] = try reader.string(expansion, name)
                    }
                }
            default:
                throw reader.unknownKey(keyNode, key, known: ["languages", "base_url", "math", "reference_pages", "limits"])
            }
        }
        guard sawLanguages else {
            throw Diagnostic(path, stage: .config, "missing 'languages'", hint: "list at least one language with code, name, title")
        }
        if referencePages { try Limits.checkReferencePages(limits, limitsNode, reader) }
        return SiteConfig(languages: languages, baseURL: baseURL, hasBaseURL: sawBaseURL,
                          macros: macros, referencePages: referencePages, limits: limits)
    }

    /// The folder of `site/` that holds the theme's assets and KaTeX's files.
    static let reservedFolder = "assets"

    /// An absolute `http`/`https` URL with a host, and nothing a URL may not hold (`"`, `<`,
    /// spaces): what `sitemap.xml` and canonical links are made of.
    public static func isWebAddress(_ text: String) -> Bool {
        // Foundation's parser on Linux lets `"`, `<` and `>` through.
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"\"<>\\^`{|}".unicodeScalars.contains($0) }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return false }
        return true
    }

    private static func language(_ node: Node, _ reader: YAMLReader) throws -> Language {
        var code: String?, name: String?, htmlLang: String?, title: String?, description = ""
        let known = ["code", "name", "html_lang", "title", "description"]
        for (key, keyNode, value) in try reader.pairs(node) {
            switch key {
            case "code": code = try reader.string(value, key)
            case "name": name = try reader.string(value, key)
            case "html_lang": htmlLang = try reader.string(value, key)
            case "title": title = try reader.string(value, key)
            case "description": description = try reader.string(value, key)
            default: throw reader.unknownKey(keyNode, key, known: known)
            }
        }
        guard let code, !code.isEmpty, code.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw reader.diagnostic(node, "a language needs a 'code' made of letters (e.g. zh, en)")
        }
        // The theme's files and KaTeX's go to site/assets/: a language of that name would mix its
        // pages and files with them, one silently replacing the other.
        guard code != reservedFolder else {
            throw reader.diagnostic(node.mapping?["code"] ?? node, "language code '\(code)' is the site's folder of theme files",
                                    hint: "choose another code, and rename its folder under content/")
        }
        guard let title else { throw reader.diagnostic(node, "language '\(code)' needs a 'title'") }
        return Language(code: code, name: name ?? code, htmlLang: htmlLang ?? code, title: title, description: description)
    }
}
