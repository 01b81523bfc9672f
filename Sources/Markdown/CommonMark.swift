import CCmarkGFM

/// cmark-gfm's options and extensions, set up once per process.
///
/// The options are those of plain `cmark-gfm --unsafe --footnotes -e table -e strikethrough
/// -e autolink -e tagfilter -e tasklist`: the notes are trusted, so raw HTML passes through,
/// except that, as on GitHub, `tagfilter` escapes the `<` of `<title>`, `<textarea>`, `<style>`,
/// `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<script>` and `<plaintext>` in an author's
/// raw HTML. HTML that lossbook generates (executable blocks' tables and plots, highlighted code,
/// headings) is never filtered: see `RawHTML`.
public enum CommonMark {
    public static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    public static let options: Int32 = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES

    /// Registers the GFM core extensions; cmark-gfm's registry is global, so this runs once.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// The extensions that shape blocks: the rest (`strikethrough`, `autolink`, `tagfilter`) only
    /// read or write the text inside them.
    static let blockExtensionNames = ["table", "tasklist"]

    /// A parser with every extension attached (`tagfilter` only for `.filtered` raw HTML), or with
    /// only those that shape blocks (`blocksOnly`): for a parse that reads where blocks are and not
    /// what is in them, a big note's `autolink` pass and `~` scan are then paid once, not twice.
    static func makeParser(rawHTML: RawHTML = .filtered, blocksOnly: Bool = false) -> OpaquePointer {
        _ = registered
        let parser = cmark_parser_new(options)!
        for name in blocksOnly ? blockExtensionNames : extensionNames where rawHTML == .filtered || name != "tagfilter" {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        return parser
    }

    /// Plain cmark-gfm: markdown to HTML with the options above and nothing of ours.
    /// The peer that `lossbook render --plain-compatible` is checked against.
    public static func plainHTML(_ markdown: String) -> String {
        let parser = makeParser()
        defer { cmark_parser_free(parser) }
        markdown.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
        let root = cmark_parser_finish(parser)!
        defer { cmark_node_free(root) }
        return takeString(cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)))
    }

    static func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// What happens to raw HTML in a markdown source.
public enum RawHTML: Sendable {
    /// An author's note: GitHub's `tagfilter` applies.
    case filtered
    /// Markdown lossbook generated (an executable block's expansion): its HTML, such as a plot's
    /// `<title>` (its accessible name) and `<style>` (its dark palette), passes as written.
    case trusted
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
