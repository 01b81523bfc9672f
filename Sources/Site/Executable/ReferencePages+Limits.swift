import Losses

extension ReferencePages {
    /// What the built-in reference pages' blocks ask of `limits:`, computed from the blocks
    /// themselves (`ReferenceExample`'s table, gradient table and plot of every loss): the most
    /// numbers one of their tensors holds and the most loss evaluations one of them asks for.
    /// A site that lowers a limit below these, with the pages on, is told so once at the limit.
    static let limitsNeeded: (tensorElements: Int, blockEvaluations: Int) = {
        var elements = 0, evaluations = 0
        for descriptor in Catalog.descriptors {
            let example = ReferenceExample.of(descriptor.id)
            for (kind, body) in [(DirectiveKind.table, example.table), (.grad, example.gradient), (.plot, example.plot)] {
                // The pages' own bodies always parse: one that did not would fail every build's pages.
                guard let spec = try? DirectiveSpec(kind: kind, info: "\(kind.rawValue) \(descriptor.id)", body: body,
                                                    path: "<reference>", fenceLine: 0, fenceColumn: 1, limits: Limits.unbounded) else { continue }
                elements = max(elements, spec.largestTensor())
                evaluations = max(evaluations, spec.work()?.count ?? 0)
            }
        }
        return (elements, evaluations)
    }()
}
