import Foundation
import Markdown

/// Text and numbers of the SVG plots: escaping, ids, coordinates, tick and prose numbers, widths.
enum SVGText {
    /// Text content and attribute values (`'` too; control characters XML does not allow as spaces).
    static func escape(_ s: String) -> String { HTMLEscape.escape(s, apostrophe: true, xmlControls: true) }

    /// A valid id / class name from `s`: letters, digits, `-` and `_`, starting with a letter.
    static func identifier(_ s: String, fallback: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            if ch.isASCII, CharacterSet.alphanumerics.contains(ch) || ch == "-" || ch == "_" {
                out.unicodeScalars.append(ch)
            } else {
                out += "-"
            }
        }
        if out.isEmpty { return fallback }
        if let f = out.unicodeScalars.first, !(("a"..."z").contains(f) || ("A"..."Z").contains(f)) {
            out = fallback + "-" + out
        }
        return out
    }

    /// A coordinate: at most two decimals, no trailing zeros, no "-0".
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let c = min(max(v, -1e12), 1e12)
        let r = Int64((c * 100).rounded())
        if r == 0 { return "0" }
        let neg = r < 0
        let a = neg ? -r : r
        var s = String(a / 100)
        let frac = a % 100
        if frac != 0 {
            s += frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac)
        }
        return neg ? "-" + s : s
    }

    /// `v` with `decimals` decimals, a real minus sign, never "−0".
    static func fixed(_ v: Double, decimals: Int, trim: Bool) -> String {
        var s = String(format: "%.\(min(decimals, 15))f", v)
        if trim, s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s.hasPrefix("-") {
            s.removeFirst()
            if s.allSatisfy({ $0 == "0" || $0 == "." }) { return s }
            return "\u{2212}" + s
        }
        return s
    }

    /// `v` to `digits` significant digits (×10ⁿ beyond 10⁶ and below 10⁻⁴), for prose.
    static func significant(_ v: Double, digits: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v < 0 ? "\u{2212}∞" : "∞") }
        if v == 0 { return "0" }
        var e = Int(floor(log10(abs(v))))
        // Rounding can carry into the next power of ten (9.996 → 10.0).
        let scale = pow(10, Double(digits - 1 - e))
        if abs((v * scale).rounded()) >= pow(10, Double(digits)) { e += 1 }
        if e >= 6 || e < -4 {
            return fixed(v / pow(10, Double(e)), decimals: digits - 1, trim: true) + "×10" + superscript(e)
        }
        return fixed(v, decimals: max(0, digits - 1 - e), trim: true)
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(String(abs(n)).map { digits[Int(String($0))!] })
    }

    /// Rough rendered width of `s` for layout: wide (CJK, fullwidth) characters count one em,
    /// others about 0.6 em.
    static func estimatedWidth(_ s: String, fontSize: Double) -> Double {
        var em = 0.0
        for ch in s {
            guard let u = ch.unicodeScalars.first?.value else { continue }
            switch u {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                em += 1
            case 0x20, 0x2C, 0x2E, 0x3A, 0x3B, 0x69, 0x6A, 0x6C, 0x49, 0x7C, 0x27, 0x21:
                em += 0.3
            default:
                em += 0.6
            }
        }
        return em * fontSize
    }
}
