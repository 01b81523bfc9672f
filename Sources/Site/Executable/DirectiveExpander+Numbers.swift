import Foundation

extension DirectiveExpander {
    // MARK: - Numbers

    /// `digits` significant digits, without float noise (`0.1054`, `2.5e-07`).
    static func format(_ x: Double, digits: Int) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        var s = String(format: "%.\(digits)g", x)
        if s.contains("e") {
            let parts = s.split(separator: "e")
            var mantissa = String(parts[0])
            if mantissa.contains(".") {
                while mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
            }
            var exponent = String(parts[1])
            let negative = exponent.hasPrefix("-")
            exponent = String(exponent.drop(while: { $0 == "+" || $0 == "-" || $0 == "0" }))
            s = mantissa + "e" + (negative ? "-" : "") + (exponent.isEmpty ? "0" : exponent)
        } else if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// As `format`, with a real minus sign and ∞ for display.
    static func display(_ x: Double, digits: Int) -> String {
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        return format(x, digits: digits).utf8Replacing("-", with: "−")
    }

    static func halfUnit(_ x: Double, digits: Int) -> Double {
        guard x.isFinite, x != 0 else { return 0.5 * pow(10, -Double(digits)) }
        let exponent = floor(log10(abs(x)))
        return 0.5 * pow(10, exponent - Double(digits - 1))
    }

    static let greek = ["alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "lambda": "λ"]

    static func parameterTeX(_ name: String) -> String {
        greek[name] != nil ? "\\\(name)" : "\\texttt{\(name.utf8Replacing("_", with: "\\_"))}"
    }

    static func parameterUnicode(_ name: String) -> String { greek[name] ?? name }

    static func variableUnicode(_ variable: ProbeVariable) -> String {
        switch variable {
        case .r: return "r = ŷ − y"
        case .m: return "m = y·f"
        case .p: return "pₜ"
        case .z: return "zₜ"
        case .w: return "w"
        case .s: return "s"
        case .o: return "o"
        case .q: return "q"
        case .a: return "a"
        case .x: return "x"
        }
    }
}
