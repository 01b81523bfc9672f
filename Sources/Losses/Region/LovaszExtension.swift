/// The Lovász extension of the Jaccard loss (Berman et al. 2018), shared by Lovász-Softmax and the
/// Lovász hinge: one group's errors sorted decreasingly (ties broken by position, so gradients are
/// deterministic), each weighted by how much the Jaccard loss grows when its pixel joins the set
/// of mistakes, Δ(k) − Δ(k − 1).
enum LovaszExtension {
    typealias Entry = (error: Double, index: Int, foreground: Bool)

    /// Sorts `errors` and calls `visit` with each entry and its Jaccard increment, in order.
    /// - Parameter foregroundCount: the group's foreground pixels (|G| in the paper).
    static func walk(_ errors: inout [Entry], foregroundCount: Int, _ visit: (Entry, _ increment: Double) -> Void) {
        errors.sort { $0.error != $1.error ? $0.error > $1.error : $0.index < $1.index }
        var previous = 0.0
        var foregroundSoFar = 0, backgroundSoFar = 0
        let total = Double(foregroundCount)
        for e in errors {
            if e.foreground { foregroundSoFar += 1 } else { backgroundSoFar += 1 }
            let jaccard = 1 - (total - Double(foregroundSoFar)) / (total + Double(backgroundSoFar))
            visit(e, jaccard - previous)
            previous = jaccard
        }
    }
}
