import Losses

/// A value (scalar or tensor) and optionally the gradient with respect to the input.
public struct EvaluationResult: Sendable, Equatable {
    public var id: String
    /// Shape `[]` for a reduced loss.
    public var value: Tensor
    public var gradient: Tensor?

    public init(id: String, value: Tensor, gradient: Tensor? = nil) {
        self.id = id
        self.value = value
        self.gradient = gradient
    }

    /// `{"id": …, "value": number or {"shape", "data"}, "grad": {"shape", "data"}}` on one line.
    ///
    /// Written by hand because JSON has no spelling for non-finite numbers: they appear as
    /// `NaN`, `Infinity` and `-Infinity` (as Python's `json` writes and reads them, and as
    /// ``EvaluationRequest`` reads them back). Finite numbers use `Float`'s shortest decimal
    /// form, which reads back to the same `Float`.
    public var json: String {
        var text = "{\"id\": \(Self.quote(id)), \"value\": "
        text += value.isScalar ? Self.number(value.data[0]) : Self.tensor(value)
        if let gradient { text += ", \"grad\": " + Self.tensor(gradient) }
        return text + "}"
    }

    static func number(_ x: Float) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
        return "\(x)"
    }

    static func tensor(_ t: Tensor) -> String {
        "{\"shape\": [" + t.shape.map(String.init).joined(separator: ", ") + "], \"data\": [" + t.data.map(number).joined(separator: ", ") + "]}"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
