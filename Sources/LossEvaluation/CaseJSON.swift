import Losses

/// The JSON case of `lossbook eval`: `{"input": tensor, "target": tensor, "params": {name: value}}`,
/// `target` and `params` optional, no other keys.
struct CaseJSON: Decodable {
    var input: Tensor
    var target: Tensor?
    var params: [String: ParameterValue]

    static let keys = ["input", "target", "params"]

    init(from decoder: Decoder) throws {
        guard let object = try? decoder.container(keyedBy: AnyKey.self) else {
            throw EvaluationError(field: nil, "expected a JSON object with 'input' (and 'target', 'params')")
        }
        for key in object.allKeys.map(\.stringValue).sorted() where !Self.keys.contains(key) {
            let suggestion = Catalog.closest(to: key, in: Self.keys).map { ", did you mean '\($0)'?" } ?? ""
            throw EvaluationError(field: nil, "unknown key '\(key)' (expected input, target, params\(suggestion))")
        }
        let inputKey = AnyKey(stringValue: "input"), targetKey = AnyKey(stringValue: "target"), paramsKey = AnyKey(stringValue: "params")
        guard object.contains(inputKey) else { throw EvaluationError(field: nil, "missing 'input'") }
        input = try object.decode(TensorJSON.self, forKey: inputKey).tensor
        target = try object.decodeIfPresent(TensorJSON.self, forKey: targetKey)?.tensor
        params = [:]
        if object.contains(paramsKey) {
            guard let values = try? object.nestedContainer(keyedBy: AnyKey.self, forKey: paramsKey) else {
                throw EvaluationError(field: "params", "expected an object {name: value}")
            }
            for key in values.allKeys {
                guard let value = try? values.decode(ParameterValue.self, forKey: key) else {
                    throw EvaluationError(field: "params.\(key.stringValue)", "expected a number, true or false, a string, or a list of numbers")
                }
                params[key.stringValue] = value
            }
        }
    }
}
