import Losses
import Yams

extension DirectiveSpec {
    /// Where a block writes what one evaluation feeds the loss: a case's `input:`, `target:` and
    /// `params:` keys, or the `mask` grid, or the varied values. A loss's complaint about its
    /// input, target or a parameter is reported there, not at the block's fence.
    struct Origin {
        var input: Node?
        var target: Node?
        var parameters: [String: Node] = [:]
    }

    /// The node a loss error points at: a parameter it names (`'gamma' …`, `alpha has 3 values …`)
    /// at that parameter; a shape or input error that mentions the target at the target, any other
    /// at the input; nil (the fence) when the block writes none of these.
    func node(for error: LossError, from origin: Origin) -> Node? {
        func parameter(_ name: String) -> Node? { origin.parameters[name] ?? parameterNode(name) }
        switch error {
        case let .unknownParameter(_, name, _), let .invalidParameter(_, name, _):
            return parameter(name)
        case let .shapeMismatch(message), let .invalidInput(message):
            // A list parameter that does not fit the input (`'focal': alpha has 3 values but …`).
            let names = Set(origin.parameters.keys).union((try? parameters().keys).map(Set.init) ?? [])
            if let name = names.sorted().first(where: { message.contains("\($0) has ") || message.contains("'\($0)' has ") }) {
                return parameter(name)
            }
            if message.contains("target"), let target = origin.target { return target }
            return origin.input ?? origin.target
        case .unknownLoss:
            return nil
        }
    }

    /// The origin of an evaluation on the `mask`: its `target` grid's key, and its `prediction`
    /// (or the prediction `label` of `predictions`) as the input; a bare grid (`mask: |`) for both.
    func maskOrigin(prediction label: String? = nil, input: Node? = nil) -> Origin {
        guard let mask = node("mask") else { return Origin(input: input) }
        guard let pairs = mask.mapping else { return Origin(input: input ?? mask, target: mask) }
        func key(_ name: String, in pairs: Node.Mapping) -> Node? { pairs.first { $0.key.string == name }?.key }
        var prediction = key("prediction", in: pairs)
        if let label, let predictions = pairs.first(where: { $0.key.string == "predictions" })?.value.mapping {
            prediction = key(label, in: predictions)
        }
        return Origin(input: input ?? prediction ?? mask, target: key("target", in: pairs) ?? mask)
    }
}
