import Foundation

/// The site's search index, one per language, as a script (`<lang>/search-index.js`) so that it
/// loads from a folder opened offline too (a browser will not `fetch` JSON from `file://`).
///
/// Each entry has the page's title, URL (from the site root), `##`/`###` headings with their
/// anchors, and its text: the markdown with code, formulas, executable blocks and markup taken
/// out. `assets/search.js` searches it in the browser; without JavaScript the site simply has no
/// search box.
enum SearchIndex {
    static func script(for pages: [RenderedPage]) -> String {
        let entries: [[String: Any]] = pages.map { page in
            [
                "t": page.title,
                "u": page.source.outputPath,
                "h": page.headings.filter { $0.level == 2 || $0.level == 3 }.map { ["t": $0.text, "a": $0.id] },
                "x": plainText(page.source.body),
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
        return "window.LOSSBOOK_SEARCH = " + String(decoding: data, as: UTF8.self) + ";\n"
    }

    /// Markdown → searchable words: fenced blocks, formulas, HTML, link targets and markup removed.
    static func plainText(_ markdown: String, limit: Int = 4000) -> String {
        var out = ""
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if inFence || trimmed.hasPrefix("|---") || trimmed.hasPrefix("| ---") || trimmed.hasPrefix("<") { continue }
            out += String(line) + " "
        }
        var text = ""
        var chars = Array(out)
        var i = 0
        var inMath = false
        while i < chars.count {
            let c = chars[i]
            if c == "$" { inMath.toggle(); i += 1; continue }
            if inMath { i += 1; continue }
            if c == "]", i + 1 < chars.count, chars[i + 1] == "(" {
                // Skip a link's destination.
                while i < chars.count, chars[i] != ")" { i += 1 }
                i += 1
                continue
            }
            if "#*_`[]|>".contains(c) { text.append(" ") } else { text.append(c) }
            i += 1
        }
        chars = []
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return String(collapsed.prefix(limit))
    }
}
