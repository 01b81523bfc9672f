/// Stable heading ids, as GitHub makes them: lowercase, letters (CJK included), digits,
/// `-` and `_` kept, spaces turned into `-`, other punctuation dropped; repeats get `-1`, `-2`…
public struct HeadingSlugger: Sendable {
    private var used: [String: Int] = [:]

    public init() {}

    public mutating func slug(for text: String) -> String {
        var base = Self.slugify(text)
        if base.isEmpty { base = "section" }
        if let n = used[base] {
            var k = n + 1
            while used["\(base)-\(k)"] != nil { k += 1 }
            used[base] = k
            let id = "\(base)-\(k)"
            used[id] = 0
            return id
        }
        used[base] = 0
        return base
    }

    /// Reserves an id so that later headings do not take it.
    public mutating func reserve(_ id: String) {
        if used[id] == nil { used[id] = 0 }
    }

    public static func slugify(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar == " " || scalar == "\t" {
                out.append("-")
            } else if scalar == "-" || scalar == "_" {
                out.append(scalar)
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
