/// Equations led by a label that names the setting they hold in,
/// `\text{jaccard: } \mathcal{L}_{n,c} = 1 - \frac{2I + s_{nr}}{2(P + G - I) + s_{dr}}`: the label
/// is for the reader; the equation defines what follows it.
extension FormulaSystem {
    /// `lhs` without a leading `\text{…:}` (a text ending in a colon) and the spacing after it;
    /// `lhs` itself when it has no such label or nothing follows it.
    static func unlabelled(_ lhs: [TeXToken]) -> [TeXToken] {
        guard lhs.count > 2, ["text", "textrm", "mbox"].contains(lhs[0].command ?? ""),
              case let .group(_, text) = lhs[1].kind,
              text.trimmingCharacters(in: .whitespaces).hasSuffix(":") else { return lhs }
        let rest = lhs.dropFirst(2).drop { TeXParser.spacing.contains($0.command ?? "") }
        return rest.isEmpty ? lhs : Array(rest)
    }
}
