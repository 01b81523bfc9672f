import Foundation
import Losses

/// Rewrites links between notes to the built URLs and finds the broken ones.
///
/// A relative link is resolved against the linking file's folder under `content/`:
/// `x.md` and `x.md#anchor` become the relative URL of that page's `index.html` (so the site
/// also works opened from a folder, offline); other files become the relative URL of the
/// copied file. External URLs (`https:`, `mailto:` …) are left alone.
struct LinkResolver: Sendable {
    /// `zh/loss-functions.md` → `zh/loss-functions/index.html`.
    let pageOutputs: [String: String]
    /// Output paths of copied files, e.g. `zh/images/a.png`.
    let assetOutputs: Set<String>
    /// The content folder as the user names it (`content`, or what `--content` gave), for messages.
    var contentRoot = "content"
    /// Pages set aside because their front matter failed where their path was another's
    /// (``ContentTree/setAsideUncertainPages(taken:pages:unreadable:)``), e.g. `en/x.md`:
    /// links to them resolve, but where they will be published, and so their ids, is unknown.
    var uncertain: Set<String> = []
    /// Notes left out because their front matter says `draft: true` (e.g. `zh/p9.md`): a link to
    /// one is broken, and said to be a draft's rather than a missing file's.
    var drafts: Set<String> = []

    enum Resolution {
        /// Leave the URL as written.
        case external
        /// A new URL; `anchorCheck` names the output page whose ids must contain the fragment.
        case rewritten(url: String, anchorCheck: (page: String, fragment: String)?)
        case broken(message: String, hint: String?)
    }

    /// - Parameters:
    ///   - url: as written in the markdown.
    ///   - source: the linking file, relative to `content/` (e.g. `zh/guide/intro.md`).
    ///   - sourceOutput: the linking page's output path (e.g. `zh/guide/intro/index.html`).
    func resolve(_ url: String, isImage: Bool, source: String, sourceOutput: String) -> Resolution {
        if url.isEmpty { return .broken(message: "empty link destination", hint: nil) }
        if url.hasPrefix("ref:") { return reference(url, source: source, sourceOutput: sourceOutput) }
        if Self.hasScheme(url) || url.hasPrefix("//") { return .external }
        var path = url
        var fragment: String?
        // Cut at the first `#` and `?` bytes, as a browser cuts a URL (found by character, a
        // link's search took 2,500 instructions).
        if let hash = url.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = String(url[url.utf8.index(after: hash)...])
            path = String(url[..<hash])
        }
        if let query = path.utf8.firstIndex(of: UInt8(ascii: "?")) { path = String(path[..<query]) }
        if path.isEmpty {
            // `#anchor` within the page.
            guard let fragment, !fragment.isEmpty else { return .external }
            return .rewritten(url: url, anchorCheck: (sourceOutput, Self.percentDecoded(fragment)))
        }
        if path.hasPrefix("/") {
            return .broken(message: "absolute link '\(url)'",
                           hint: "write the path relative to this file, e.g. '../other.md', so the site also works opened from a folder")
        }
        let decoded = Self.percentDecoded(path)
        guard let target = Self.normalize(directory(of: source), decoded) else {
            return .broken(message: "link '\(url)' points outside \(contentRoot)/",
                           hint: "keep links inside \(contentRoot)/: copy the file in, or link to it by its full URL")
        }
        let what = isImage ? "missing image" : "broken link"
        let page = pageOutputs[target] != nil ? target : target + (target.utf8.last == UInt8(ascii: "/") ? "" : "/") + "index.md"
        if let output = pageOutputs[page] {
            let relative = Self.relativeURL(from: sourceOutput, to: output)
            let encodedFragment = fragment.map { "#" + $0 } ?? ""
            return .rewritten(url: relative + encodedFragment,
                              anchorCheck: uncertain.contains(page) ? nil
                                  : fragment.flatMap { $0.isEmpty ? nil : (output, Self.percentDecoded($0)) })
        }
        if assetOutputs.contains(target) {
            return .rewritten(url: Self.relativeURL(from: sourceOutput, to: target), anchorCheck: nil)
        }
        if let draft = [target, page].first(where: drafts.contains) {
            return .broken(message: "\(what): '\(url)' is a draft (\(contentRoot)/\(draft) says 'draft: true'), which this build leaves out",
                           hint: "remove 'draft: true' from it to publish it, or build with --drafts")
        }
        let known = Array(pageOutputs.keys) + Array(assetOutputs)
        let suggestion = Catalog.closest(to: target, in: known)
        return .broken(message: "\(what): '\(url)' (no file \(contentRoot)/\(target))",
                       hint: suggestion.map { "did you mean \(contentRoot)/\($0)?" }
                           ?? "create \(contentRoot)/\(target), or write the path of an existing file relative to this one")
    }

    /// `ref:focal` or `ref:focal#anchor`: the reference page of a loss, in the linking page's language.
    private func reference(_ url: String, source: String, sourceOutput: String) -> Resolution {
        var id = String(url.dropFirst(4))
        var fragment: String?
        if let hash = id.firstIndex(of: "#") {
            fragment = String(id[id.index(after: hash)...])
            id = String(id[..<hash])
        }
        let language = SitePath.parts(source).first.map(String.init) ?? ""
        guard let output = pageOutputs["\(language)/\(ReferencePages.folder)/\(id).md"] else {
            if Catalog.ids.contains(id) {
                return .broken(message: "link '\(url)': the site has no reference pages", hint: "remove 'reference_pages: false' from lossbook.yaml")
            }
            let suggestion = Catalog.closest(to: id, in: Catalog.ids)
            return .broken(message: "unknown loss '\(id)' in link '\(url)'",
                           hint: suggestion.map { "did you mean 'ref:\($0)'?" } ?? "see `lossbook list` for the ids")
        }
        let relative = Self.relativeURL(from: sourceOutput, to: output)
        return .rewritten(url: relative + (fragment.map { "#" + $0 } ?? ""),
                          anchorCheck: fragment.flatMap { $0.isEmpty ? nil : (output, $0) })
    }

    /// The folder holding `path`, cut at its last `/` byte (``SitePath``), as ``normalize(_:_:)`` cuts.
    private func directory(of path: String) -> String {
        SitePath.parent(path).map(String.init) ?? ""
    }

    static func hasScheme(_ url: String) -> Bool {
        // The common case in bytes: no `:` at all, or an ASCII word before it and an ASCII byte (or
        // nothing) after it, where the first `:` byte is the first `:` character (each character
        // tested by its Unicode properties, a link took 2,600 instructions).
        let utf8 = url.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let bytes = utf8[..<colon], after = utf8.index(after: colon)
        if bytes.allSatisfy({ $0 < 0x80 }), after == utf8.endIndex || utf8[after] < 0x80 {
            func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte | 0x20) }
            guard let first = bytes.first, isLetter(first) else { return false }
            return bytes.allSatisfy { isLetter($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2E || $0 == 0x2D }
        }
        // Told by characters, as it was: letters beyond ASCII count (a link like `注意:x` is left
        // to the browser), and a `:` a combining mark joins is no `:`.
        guard let character = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<character]
        guard let first = scheme.first, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "." || $0 == "-" }
    }

    /// `text` with its percent escapes decoded (`removingPercentEncoding`, the text itself when it
    /// does not decode); a text without `%` is returned as it is, Foundation not asked (9,000
    /// instructions a call, three calls a link).
    static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return text.removingPercentEncoding ?? text
    }

    /// `zh/guide` + `../en/x.md` → `en/x.md`; nil when it climbs out of the root.
    /// Cut at `/` bytes (``SitePath``), as the write stage cuts the paths it makes folders for.
    static func normalize(_ directory: String, _ relative: String) -> String? {
        var parts = SitePath.parts(directory)
        for part in SitePath.parts(relative) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/") + (relative.utf8.last == UInt8(ascii: "/") && !parts.isEmpty ? "/" : "")
    }

    /// The URL of `target` relative to the folder of `source` (both site-relative file paths),
    /// percent-encoded (``URLPath``). The paths are cut at their `/` bytes and their folders
    /// compared byte for byte (``SitePath``), as the file system names them; all of it on the paths'
    /// bytes: cut and compared by characters, 32,000 links took 6.6 % of the instructions of a
    /// build that renders 4,000 pages, and cut into substrings 3.2 %.
    static func relativeURL(from source: String, to target: String) -> String {
        var source = source, target = target
        let url = source.withUTF8 { from in
            target.withUTF8 { to -> [UInt8] in
                let folders = SitePath.partRanges(from).dropLast(), parts = SitePath.partRanges(to)
                var common = 0
                while common < folders.count, common < parts.count - 1,
                      folders[common].count == parts[common].count,
                      holdsBytes(UnsafeRawBufferPointer(to), UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: from[folders[common]])), at: parts[common].lowerBound) {
                    common += 1
                }
                var url: [UInt8] = []
                url.reserveCapacity(3 * (folders.count - common) + to.count)
                for _ in common..<folders.count { url.append(contentsOf: url.isEmpty ? [0x2E, 0x2E] : [0x2F, 0x2E, 0x2E]) }
                for part in parts[common...] {
                    if !url.isEmpty { url.append(0x2F) }
                    url.append(contentsOf: to[part])
                }
                return url
            }
        }
        // Cut at `/` bytes only, so still UTF-8.
        return url.isEmpty ? "./" : URLPath.encode(String(decoding: url, as: UTF8.self))
    }
}
