import FormulaCheck
import Foundation

/// Probes for CTC, and the alignments its formulas sum over, enumerated by brute force.
///
/// A probe holds log-probabilities `[T, N, C]` (T = 4 steps, two samples, three classes) and padded
/// targets `[N, S]` (S = 2) of the classes other than the blank, one with a repeated label (which
/// needs a blank between its two emissions). A binding names, besides the probe's arrays:
/// - `alignment paths`: every class sequence of length T, `[C^T, T]` (1-based class numbers), in
///   lexicographic order; the sum's index π numbers them;
/// - `alignments of target`: `[N, C^T]`, 1 where path π is in 𝓑⁻¹(y_n): its first T_n classes
///   collapse to sample n's first L_n labels (repeats merged, then blanks removed, as the loss's
///   description defines 𝓑). A path shorter than T is stored once, with class 1 after T_n;
/// - `input lengths`, `target lengths`: T_n and L_n per sample, `[N]` (the parameters; empty
///   means T, resp. S, for every sample).
/// None of this uses the loss's forward–backward recursion: the formula's sum over B⁻¹(y) is
/// evaluated literally, path by path.
extension CatalogLoss {
    static let alignmentSteps = 4

    func alignmentProbes(_ random: inout SplitMix) -> [Probe] {
        let classes = 3
        let blank = Int(parameter("blank")?.first ?? 0)
        let labels = (0..<classes).filter { $0 != blank }
        let (a, b) = (labels[0], labels[1])
        func probe(_ label: String, steps: Int, _ targets: [[Int]]) -> Probe {
            let logits = (0..<(steps * 2 * classes)).map { _ in random.normal() * 2 }
            // log_softmax over the classes of each (t, n).
            let x = stride(from: 0, to: logits.count, by: classes).flatMap { start -> [Double] in
                let row = logits[start..<(start + classes)]
                let m = row.max()!
                let logSum = m + log(row.reduce(0) { $0 + exp($1 - m) })
                return row.map { Self.float($0 - logSum) }
            }
            let target = targets.flatMap { $0.map(Double.init) }
            return Probe(label: label, arrays: [
                "input": .init(shape: [steps, 2, classes], values: x),
                "loss target": .init(shape: [2, 2], values: target),
                "target index": .init(shape: [2, 2], values: target.map { $0 + 1 }),
            ])
        }
        var probes = [
            probe("random 1, a repeated label in sample 2", steps: Self.alignmentSteps, [[a, b], [b, b]]),
            probe("random 2, a repeated label in sample 2", steps: Self.alignmentSteps, [[b, a], [a, a]]),
            probe("random 3, no repeated label", steps: Self.alignmentSteps, [[a, b], [b, a]]),
            probe("random 4, a repeated label in both samples", steps: Self.alignmentSteps, [[a, a], [b, b]]),
        ]
        if parameter("input_lengths")?.isEmpty ?? true {
            // Two steps cannot emit a, blank, a: no alignment, the loss is +∞.
            probes.append(probe("two steps, too few for sample 1's repeat", steps: 2, [[a, a], [a, b]]))
        }
        return probes
    }

    /// The arrays above by name; nil for another name.
    func alignmentArray(_ source: String, on probe: Probe) throws -> ProbeArray? {
        guard ["alignment paths", "alignments of target", "input lengths", "target lengths"].contains(source) else { return nil }
        guard let input = probe.arrays["input"], input.shape.count == 3, let target = probe.arrays["loss target"], target.shape.count == 2 else {
            throw FormulaError("'\(source)' needs a probe of log-probabilities [T, N, C] and targets [N, S]")
        }
        let (steps, samples, classes, width) = (input.shape[0], input.shape[1], input.shape[2], target.shape[1])
        func lengths(_ name: String, _ full: Int) -> [Int] {
            let given = parameter(name) ?? []
            return given.isEmpty ? Array(repeating: full, count: samples) : given.map { Int($0) }
        }
        let inputLengths = lengths("input_lengths", steps), targetLengths = lengths("target_lengths", width)
        switch source {
        case "input lengths": return ProbeArray(shape: [samples], values: inputLengths.map(Double.init))
        case "target lengths": return ProbeArray(shape: [samples], values: targetLengths.map(Double.init))
        default: break
        }
        let count = Int(pow(Double(classes), Double(steps)))
        // Path p's class at step t: digit t of p in base C, most significant first.
        let paths = (0..<count).map { p in
            (0..<steps).map { t in p / Int(pow(Double(classes), Double(steps - 1 - t))) % classes }
        }
        if source == "alignment paths" {
            return ProbeArray(shape: [count, steps], values: paths.flatMap { $0.map { Double($0 + 1) } })
        }
        let blank = Int(parameter("blank")?.first ?? 0)
        let members = (0..<samples).flatMap { n -> [Double] in
            let y = (0..<targetLengths[n]).map { Int(target.values[n * width + $0]) }
            return paths.map { path in
                let emitted = Array(path.prefix(inputLengths[n])), padding = path.dropFirst(inputLengths[n])
                return padding.allSatisfy { $0 == 0 } && Self.collapse(emitted, blank: blank) == y ? 1 : 0
            }
        }
        return ProbeArray(shape: [samples, count], values: members)
    }

    /// 𝓑: repeated classes merged, then blanks removed.
    static func collapse(_ path: [Int], blank: Int) -> [Int] {
        var out: [Int] = []
        for (t, c) in path.enumerated() where c != blank && (t == 0 || path[t - 1] != c) { out.append(c) }
        return out
    }
}
