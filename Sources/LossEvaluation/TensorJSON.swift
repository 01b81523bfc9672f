import Losses

/// `{"shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}`: a tensor as a JSON case writes it.
///
/// The shape is checked before anything is sized by it: every dimension a positive whole
/// number, their product (computed without overflow) at most ``EvaluationRequest/maximumElements``,
/// and equal to the number of data elements. Data elements are numbers (or `NaN`, `Infinity`,
/// `-Infinity`) within `Float`'s range.
struct TensorJSON: Decodable {
    var tensor: Tensor

    init(from decoder: Decoder) throws {
        let field = FieldPath.text(decoder.codingPath) ?? "tensor"
        guard let object = try? decoder.container(keyedBy: AnyKey.self) else {
            throw EvaluationError(field: field, "expected an object {\"shape\": [whole numbers], \"data\": [numbers]}")
        }
        for key in object.allKeys.map(\.stringValue).sorted() where key != "shape" && key != "data" {
            throw EvaluationError(field: field, "unknown key '\(key)' (expected shape, data)")
        }
        let shapeKey = AnyKey(stringValue: "shape"), dataKey = AnyKey(stringValue: "data")
        for key in [shapeKey, dataKey] where !object.contains(key) {
            throw EvaluationError(field: field, "missing '\(key.stringValue)'")
        }

        guard var dims = try? object.nestedUnkeyedContainer(forKey: shapeKey) else {
            throw EvaluationError(field: "\(field).shape", "expected a list of positive whole numbers")
        }
        var shape: [Int] = []
        while !dims.isAtEnd {
            let position = "\(field).shape[\(shape.count)]"
            guard let x = try? dims.decode(Double.self) else {
                throw EvaluationError(field: position, "expected a positive whole number")
            }
            guard x.isFinite, x == x.rounded(), x >= 1, x <= Double(EvaluationRequest.maximumElements) else {
                throw EvaluationError(field: position, "expected a positive whole number at most \(EvaluationRequest.maximumElements), got \(Self.spell(x))")
            }
            shape.append(Int(x))
        }
        let count = try Self.elementCount(shape, field: "\(field).shape")

        guard var elements = try? object.nestedUnkeyedContainer(forKey: dataKey) else {
            throw EvaluationError(field: "\(field).data", "expected a list of numbers")
        }
        guard elements.count == count else {
            throw EvaluationError(field: "\(field).data", "shape \(shape) holds \(count) elements but \(elements.count ?? 0) were given")
        }
        var data: [Float] = []
        data.reserveCapacity(count)
        while !elements.isAtEnd {
            let position = "\(field).data[\(data.count)]"
            guard let x = try? elements.decode(Double.self) else {
                throw EvaluationError(field: position, "expected a number (or NaN, Infinity, -Infinity)")
            }
            let value = Float(x)
            guard value.isFinite || !x.isFinite else {
                throw EvaluationError(field: position, "\(x) is outside the range of Float")
            }
            data.append(value)
        }
        tensor = try Tensor(shape: shape, data: data)
    }

    /// `x` as a case would write it.
    static func spell(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// The product of `shape`, or an error when it passes ``EvaluationRequest/maximumElements``
    /// (checked at every step, so the product never overflows).
    static func elementCount(_ shape: [Int], field: String) throws(EvaluationError) -> Int {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= EvaluationRequest.maximumElements else {
                throw EvaluationError(field: field, "shape \(shape) has more than \(EvaluationRequest.maximumElements) elements")
            }
            count = product
        }
        return count
    }
}
