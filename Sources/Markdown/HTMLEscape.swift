/// Text as HTML or XML, for element content and quoted attribute values: the one escaper of the
/// project (the Markdown renderer, the site's pages, feeds and plots, and `lossbook serve`'s own pages).
public enum HTMLEscape {
    /// `&`, `<`, `>` and `"` as entities, scalar by scalar (so a combining mark after one of them
    /// does not hide it).
    /// - Parameters:
    ///   - apostrophe: `'` as `&#39;` too.
    ///   - xmlControls: the control characters XML 1.0 does not allow (below U+0020, but for tab
    ///     and newline) as spaces.
    public static func escape(_ s: String, apostrophe: Bool = false, xmlControls: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'" where apostrophe: out += "&#39;"
            case _ where xmlControls && scalar.value < 0x20 && scalar != "\n" && scalar != "\t": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
