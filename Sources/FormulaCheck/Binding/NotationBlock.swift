import Foundation

/// A note's fenced `formula` block that defines no loss or gradient, so there is nothing in the
/// library to check it against: the TeX, then one `notation: <reason>` or `paper: <reason>` line.
///
/// ```` ```formula ````
/// ```
/// D_f(p) = \min_{q} \left( h^2 (p - q)^2 + f(q) \right)
/// notation: a step of the distance-transform algorithm, not a loss
/// ```
///
/// - `notation`: notation, an identity or a step of an algorithm (the distance transform the
///   boundary losses use, the chain rule, an optimiser's update);
/// - `paper`: a paper's form that the library does not compute as written.
///
/// The block is shown like a display formula, without the "checked against the code" mark, and
/// `lossbook check --formulas` lists it under its kind with the reason instead of as unbound. The
/// reason is required, and the block takes no other key: a block meant to be checked says `check:`.
public struct NotationBlock: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case notation
        case paper
    }

    public var tex: String
    public var kind: Kind
    public var reason: String

    /// The block, or nil when its body has no `notation:` or `paper:` line (a checked formula,
    /// parsed by `FormulaBlock`).
    /// - Throws: `FormulaError` (offset in `body`) when the reason is missing, the TeX is empty, or
    ///   the block has another key as well.
    public static func parse(_ body: String) throws -> NotationBlock? {
        var offset = 0
        var found: (kind: Kind, reason: String, offset: Int)?
        var others: [(key: String, offset: Int)] = []
        for line in body.components(separatedBy: "\n") {
            defer { offset += line.count + 1 }
            guard let first = line.first, first.isLetter, let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let kind = Kind(rawValue: key) {
                guard found == nil else { throw FormulaError("a formula block takes one 'notation:' or 'paper:' line", at: offset) }
                found = (kind, value, offset)
            } else if FormulaBlock.keys.contains(key) {
                others.append((key, offset))
            }
        }
        guard let found else { return nil }
        guard !found.reason.isEmpty else {
            throw FormulaError("'\(found.kind.rawValue):' needs a reason", at: found.offset,
                               hint: "say why nothing is checked, e.g. 'notation: a step of the distance transform, not a loss'")
        }
        if let other = others.first {
            throw FormulaError("'\(other.key):' binds a formula to a loss, but this block says '\(found.kind.rawValue):' (not checked)",
                               at: other.offset, hint: "keep 'check:' and its bindings, or the '\(found.kind.rawValue):' line, not both")
        }
        let tex = String(body.prefix(found.offset))
        guard tex.contains(where: { !$0.isWhitespace }) else {
            throw FormulaError("the formula block has no TeX before '\(found.kind.rawValue):'", at: found.offset)
        }
        let after = body.dropFirst(found.offset).split(separator: "\n").dropFirst()
        guard after.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) else {
            throw FormulaError("'\(found.kind.rawValue):' is the block's last line", at: found.offset)
        }
        return NotationBlock(tex: tex, kind: found.kind, reason: found.reason)
    }
}
