import Foundation

/// The binary Lovász hinge of Berman et al., from the paper's Algorithm 1: hinge errors
/// 1 − x·(2g − 1) sorted decreasingly, weighted by the increments of the Jaccard loss of the
/// growing prefix set, each increment computed from the set's counts |G ∖ S| and |G ∪ S|.
extension ReferenceLosses {
    static var lovaszHingeEntries: [Entry] {
        [
            Entry(id: "lovasz-hinge", defaults: ["reduction": .string("mean"), "per_image": .bool(true),
                                                 "ignore_index": .number(-100)]) { input, target, p in
                guard let target, target.count == input.count, input.shape.first == target.shape.first else {
                    throw ReferenceError.invalidInput("lovasz-hinge needs 0/1 labels, one per logit")
                }
                let ignore = try p.number("ignore_index")
                let n = input.shape.first ?? 0
                let groups = try p.bool("per_image") ? n : 1
                let size = groups == 0 ? 0 : input.count / groups
                var values: [Double] = []
                for group in 0..<groups {
                    let range = (group * size)..<((group + 1) * size)
                    let kept = range.filter { target.data[$0] != ignore }
                    let truth = kept.map { target.data[$0] == 1 }
                    let errors = kept.indices.map { 1 - input.data[kept[$0]] * (truth[$0] ? 1 : -1) }
                    let order = errors.indices.sorted { errors[$0] > errors[$1] }
                    let foreground = truth.filter { $0 }.count
                    var inside = 0, falsePositives = 0, before = 0.0, loss = 0.0
                    for k in order {
                        if truth[k] { inside += 1 } else { falsePositives += 1 }
                        // Δ_J(S) = 1 − |G ∖ S| / |G ∪ S| for the prefix S.
                        let missed = Double(foreground - inside), union = Double(foreground + falsePositives)
                        let jaccard = 1 - missed / union
                        loss += max(errors[k], 0) * (jaccard - before)
                        before = jaccard
                    }
                    values.append(loss)
                }
                return RefMath.reduce(values, shape: [groups], try p.reduction())
            },
        ]
    }
}
