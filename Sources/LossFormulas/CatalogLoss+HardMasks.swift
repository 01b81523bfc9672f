import FormulaCheck

/// Hard 0/1 masks, for relations that hold only there (IoU = Dice/(2 − Dice)): a binding's
/// setting `probes: hard` gives region probes (`[N, C, S]`, as the family's) whose probabilities
/// are one-hot — the input too: such a binding sets `activation: none` — drawn from a fixed seed:
/// each position's predicted class is its label or, one time in three, a random class. A draw on
/// which some (sample, class) has an empty prediction and target both (where, unsmoothed, 0/0 is
/// NaN) is drawn again.
extension CatalogLoss {
    func hardMasks() throws -> [Probe] {
        guard family == .region, activation == "none" else {
            throw FormulaError("'probes: hard' makes region probabilities; '\(id)' takes \(family) input with activation \(activation)",
                               hint: "use it with a region loss and activation: none")
        }
        let (n, c, s) = (2, 3, 6)
        var random = SplitMix(seed: 0x4A4D_0001)
        var probes: [Probe] = []
        while probes.count < 4 {
            let labels = (0..<(n * s)).map { _ in Double(Int(random.uniform() * Double(c))) }
            let predicted = labels.map { random.uniform() < 1.0 / 3 ? Double(Int(random.uniform() * Double(c))) : $0 }
            let empty = (0..<n).contains { b in
                (0..<c).contains { k in !(0..<s).contains { labels[b * s + $0] == Double(k) || predicted[b * s + $0] == Double(k) } }
            }
            guard !empty else { continue }
            var input = [Double](repeating: 0, count: n * c * s)
            for b in 0..<n { for j in 0..<s { input[(b * c + Int(predicted[b * s + j])) * s + j] = 1 } }
            probes.append(scores("hard masks \(probes.count + 1)", input, labels, n: n, c: c, s: s))
        }
        return probes
    }
}
