import Losses

extension DirectiveKind {
    /// A fenced block whose first info word looks like a directive but is none (`loss-tabel`,
    /// `distance-mapp`, `los-table`): published as code it would silently drop the numbers the
    /// author asked for, so it is an error with the nearest directive name.
    static func misspelling(_ info: String, path: String, line: Int, column: Int) -> Diagnostic? {
        guard let first = info.split(separator: " ").first else { return nil }
        let word = String(first)
        // A word's answer depends on the word alone: asked once a process (a site's blocks are
        // mostly a handful of languages; measured against every directive name, `python` took
        // 35 k instructions a block, 1.5 % of a build that renders 1,000 pages).
        guard let known = nearMisses.value(word, { Self.nearMiss(word) }) else { return nil }
        return Diagnostic(path, line: line, column: column, stage: .execute, "unknown executable block '\(word)'",
                          hint: known.suggestion.map { "did you mean '\($0)'?" } ?? "known blocks: \(names.joined(separator: ", "))")
    }

    /// A first word that is a misspelt directive: the directive name nearest to it, if any.
    struct NearMiss {
        var suggestion: String?
    }

    private static let nearMisses = ProcessMemo<NearMiss?>()

    /// Every directive's name, as a block's first word spells it.
    private static let names = allCases.map(\.rawValue)

    /// Whether `word`, a fenced block's first info word, is a misspelt directive (nil: it is a
    /// directive, or too far from every one to be taken for it).
    private static func nearMiss(_ word: String) -> NearMiss? {
        guard DirectiveKind(rawValue: word) == nil else { return nil }
        let lower = word.lowercased()
        let suggestion = names.contains(lower) ? lower : Catalog.closest(to: lower, in: names)
        let looksLikeOne = lower.hasPrefix("loss-") || lower.hasPrefix("los-") || lower.hasPrefix("distance-")
        guard looksLikeOne || suggestion.map({ editDistance(lower, $0) <= 2 }) == true else { return nil }
        return NearMiss(suggestion: suggestion)
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in stride(from: 1, through: a.count, by: 1) {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
