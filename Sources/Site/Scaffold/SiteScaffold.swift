import Foundation

/// `lossbook init`: a minimal site that builds at once with the built-in theme — `lossbook.yaml`
/// (one title per language, `reference_pages: true`), an index page per language and a first
/// note with one executable block, the translations stamped with their source's hash.
public enum SiteScaffold {
    /// Languages the built-in theme has UI strings for (the top-level keys of its `strings.yaml`).
    public static var themeLanguages: [String] {
        (BuiltInTheme.files["strings.yaml"] ?? "").split(separator: "\n")
            .filter { $0.hasSuffix(":") && !$0.hasPrefix(" ") && !$0.hasPrefix("#") }.map { String($0.dropLast()) }
    }

    /// Writes the site into `directory` (created if needed; refused when it already has a
    /// `content/lossbook.yaml` or any file the scaffold would write). The first language is the source of the others' translations.
    /// - Returns: the files written, relative to `directory`.
    @discardableResult
    public static func create(in directory: URL, languages: [String]) throws -> [String] {
        let config = directory.appendingPathComponent("content/\(SiteConfig.fileName)")
        let display = SiteBuilder.displayPath(config)
        guard !languages.isEmpty, Set(languages).count == languages.count else {
            throw Diagnostic(display, stage: .config, "give each language once, e.g. --languages zh,en")
        }
        for code in languages where !themeLanguages.contains(code) {
            throw Diagnostic(display, stage: .config, "the built-in theme has no UI strings for '\(code)'",
                             hint: "choose among \(themeLanguages.joined(separator: ", ")), or add a templates/strings.yaml with a '\(code):' section later")
        }
        guard !FileManager.default.fileExists(atPath: config.path) else {
            throw Diagnostic(display, stage: .config, "a site is already here", hint: "choose an empty or new folder")
        }
        var files: [(String, String)] = [("content/\(SiteConfig.fileName)", configuration(languages))]
        for code in languages {
            let words = Words(code)
            files.append(("content/\(code)/index.md", "---\ntitle: \(words.home)\nweight: 0\n---\n\n\(words.welcome)\n"))
            files.append(("content/\(code)/first-note.md", "---\ntitle: \(words.noteTitle)\nweight: 10\n---\n\n\(words.note)\n\n"
                          + "```loss-table focal\nvary: {p: [0.1, 0.5, 0.9]}\nseries: {gamma: [0, 2]}\n```\n"))
        }
        // A folder that already holds notes (without a `lossbook.yaml`) keeps them: nothing is
        // written when any file the scaffold would write is there, and each is named.
        let taken = files.map(\.0).filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
        guard taken.isEmpty else {
            throw BuildFailure(taken.map {
                Diagnostic(SiteBuilder.displayPath(directory.appendingPathComponent($0)), stage: .config,
                           "a file is already here; init writes only new files",
                           hint: "move it away, or choose an empty or new folder")
            })
        }
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                throw Diagnostic(SiteBuilder.displayPath(url), stage: .output, "cannot write: \(FileError.cause(error))")
            }
        }
        let content = directory.appendingPathComponent("content")
        for code in languages.dropFirst() {
            for page in ["index.md", "first-note.md"] {
                try TranslationStatus.stamp(content.appendingPathComponent("\(code)/\(page)").path, contentDirectory: content)
            }
        }
        return files.map(\.0)
    }

    static func configuration(_ languages: [String]) -> String {
        var yaml = "# Site configuration (see README, \"Configuration\"). The first language is the default.\n"
        yaml += "# base_url: https://example.org/notes/   # where the site is published, for sitemap.xml\n"
        yaml += "languages:\n"
        for code in languages {
            let words = Words(code)
            yaml += "  - code: \(code)\n    name: \(words.name)\n    html_lang: \(words.htmlLang)\n    title: \(words.siteTitle)\n"
        }
        return yaml + "reference_pages: true\n"
    }

    /// The scaffold's texts in one language (English for a language without its own).
    struct Words {
        var name, htmlLang, siteTitle, home, welcome, noteTitle, note: String
        init(_ code: String) {
            switch code {
            case "zh":
                (name, htmlLang, siteTitle, home) = ("中文", "zh-CN", "损失函数笔记", "首页")
                welcome = "欢迎。从[第一篇笔记](first-note.md)开始，或查看[损失函数参考](reference/index.md)。"
                noteTitle = "第一篇笔记"
                note = "下表的每个数都在构建时由损失函数库算出：焦点损失随预测概率 $p$ 与 $\\gamma$ 变化。"
            default:
                (name, htmlLang, siteTitle, home) = (code == "en" ? "English" : code, code, "Loss Function Notes", "Home")
                welcome = "Welcome. Start with [the first note](first-note.md), or browse [the loss reference](reference/index.md)."
                noteTitle = "First note"
                note = "Every number in the table below is computed by the loss library at build time: focal loss as the predicted probability $p$ and $\\gamma$ vary."
            }
        }
    }
}
