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
        // Most texts need nothing: one byte scan (each scalar replaced below is one ASCII byte,
        // and no other scalar's UTF-8 holds such a byte) gives them back as they are.
        guard s.containsUTF8Byte(where: { byte in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
                || (apostrophe && byte == UInt8(ascii: "'")) || (xmlControls && byte < 0x20)
        }) else { return s }
        return s.replacingScalars { scalar in
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "'" where apostrophe: return "&#39;"
            case _ where xmlControls && scalar.value < 0x20 && scalar != "\n" && scalar != "\t": return " "
            default: return nil
            }
        }
    }
}

extension String {
    /// The text with each scalar for which `replacement` gives a text replaced by it, in one pass:
    /// the loop of every escaper (HTML here; DOT string literals and the build stamp's fields in
    /// the site), each of which only says what a scalar becomes.
    @inlinable
    public func replacingScalars(_ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if let text = replacement(scalar) { out += text } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// Whether any of the text's UTF-8 bytes passes `test`: one scan of its contiguous bytes
    /// (`utf8.contains(where:)` steps the view's index byte by byte, several times slower; a
    /// skipped build scans every warning it repeats, megabytes on a large site).
    @inlinable
    public func containsUTF8Byte(where test: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: test) } ?? utf8.contains(where: test)
    }
}
