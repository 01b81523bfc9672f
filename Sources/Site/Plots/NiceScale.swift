import Foundation

/// An axis with ticks at multiples of 1, 2 or 5 × 10^k.
struct NiceScale: Sendable, Equatable {
    /// Axis ends: the given range when `fixed`, else the data widened to the nearest ticks.
    var lo: Double
    var hi: Double
    /// Tick step = mantissa × 10^exponent, mantissa ∈ {1, 2, 5}.
    var mantissa: Int
    var exponent: Int
    var ticks: [Double]

    init(lo: Double, hi: Double, target: Int, fixed: Bool) {
        let span = hi - lo
        let raw = span / Double(max(target, 1))
        var e = Int(floor(log10(raw)))
        let norm = raw / pow(10, Double(e))
        var m: Int
        switch norm {
        case ..<1.5: m = 1
        case ..<3: m = 2
        case ..<7: m = 5
        default: m = 1; e += 1
        }
        mantissa = m
        exponent = e
        let step = Double(m) * pow(10, Double(e))
        let eps = 1e-9
        let iLo = Int(fixed ? ceil(lo / step - eps) : floor(lo / step + eps))
        let iHi = Int(fixed ? floor(hi / step + eps) : ceil(hi / step - eps))
        func value(_ i: Int) -> Double {
            e >= 0 ? Double(i * m) * pow(10, Double(e)) : Double(i * m) / pow(10, Double(-e))
        }
        ticks = iLo <= iHi ? (iLo...iHi).map(value) : []
        if fixed {
            self.lo = lo
            self.hi = hi
        } else {
            self.lo = value(iLo)
            self.hi = value(iHi)
        }
    }

    var step: Double { Double(mantissa) * pow(10, Double(exponent)) }

    /// Tick label with exactly the decimals the step needs; ×10ⁿ notation for very large or
    /// small steps; a real minus sign.
    func label(_ v: Double) -> String {
        if exponent >= 6 || exponent <= -5 {
            if v == 0 { return "0" }
            let e = Int(floor(log10(abs(v)) + 1e-9))
            let mant = v / pow(10, Double(e))
            return SVGText.fixed(mant, decimals: max(0, e - exponent), trim: true) + "×10" + SVGText.superscript(e)
        }
        return SVGText.fixed(v, decimals: max(0, -exponent), trim: false)
    }
}
