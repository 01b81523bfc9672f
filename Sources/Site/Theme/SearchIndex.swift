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
    /// One pass that stops at `limit` characters of output: a 50 MB note costs what its first
    /// pages cost, not an array of 50 million `Character`s.
    static func plainText(_ markdown: String, limit: Int = 4000) -> String {
        var text = ""
        var count = 0
        var pendingSpace = false
        var inFence = false, inMath = false, skippingDestination = false, closingBracket = false
        func append(_ c: Character) -> Bool {
            if c.isWhitespace {
                pendingSpace = count > 0
                return true
            }
            if pendingSpace {
                text.append(" ")
                count += 1
                pendingSpace = false
                if count >= limit { return false }
            }
            text.append(c)
            count += 1
            return count < limit
        }
        var rest = Substring(markdown)
        lines: while !rest.isEmpty {
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            let line = rest[..<end]
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if inFence || trimmed.hasPrefix("|---") || trimmed.hasPrefix("| ---") || trimmed.hasPrefix("<") { continue }
            for c in line + " " {
                if skippingDestination {
                    if c == ")" { skippingDestination = false }
                    continue
                }
                if closingBracket {
                    closingBracket = false
                    if c == "(" {
                        // A link's destination, `](…)` dropped whole.
                        skippingDestination = true
                        continue
                    }
                    guard append(" ") else { break lines }
                }
                if c == "$" { inMath.toggle(); continue }
                if inMath { continue }
                if c == "]" {
                    closingBracket = true
                    continue
                }
                guard append("#*_`[|>".contains(c) ? " " : c) else { break lines }
            }
        }
        return text
    }
}
