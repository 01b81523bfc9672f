import Foundation

/// The remaining `torch.nn` losses, from their formulas in the PyTorch documentation. Multi-tensor
/// inputs follow the catalog's convention: stacked along a leading axis (margin ranking, cosine
/// embedding, triplet), mean and variance concatenated along the last axis (Gaussian NLL), lengths
/// as parameters (CTC).
extension ReferenceLosses {
    static var torchNNEntries: [Entry] {
        [
            Entry(id: "nll", defaults: reductionDefault.merging(["weight": .numbers([]), "ignore_index": .number(-100)]) { $1 }) {
                try nll($0, $1, $2)
            },
            Entry(id: "poisson-nll", defaults: reductionDefault.merging([
                "log_input": .bool(true), "full": .bool(false), "eps": .number(1e-8),
            ]) { $1 }) { input, target, p in
                let logInput = try p.bool("log_input"), full = try p.bool("full"), eps = try p.number("eps")
                return try mapPairs(input, target, p) { x, y in
                    let base = logInput ? exp(x) - y * x : x - y * log(x + eps)
                    // log y! ≈ y log y − y + ½ log 2πy, only for y > 1 (torch's mask).
                    return base + (full && y > 1 ? y * log(y) - y + 0.5 * log(2 * .pi * y) : 0)
                }
            },
            Entry(id: "gaussian-nll", defaults: reductionDefault.merging(["full": .bool(false), "eps": .number(1e-6)]) { $1 }) {
                try gaussianNLL($0, $1, $2)
            },
            Entry(id: "margin-ranking", defaults: reductionDefault.merging(["margin": .number(0)]) { $1 }) { input, target, p in
                let margin = try p.number("margin")
                let (x1, x2) = try split2(input)
                guard let target, target.shape == x1.shape else { throw ReferenceError.invalidInput("target must be one label per pair") }
                let values = (0..<target.count).map { max(0, -target.data[$0] * (x1.data[$0] - x2.data[$0]) + margin) }
                return RefMath.reduce(values, shape: target.shape, try p.reduction())
            },
            Entry(id: "hinge-embedding", defaults: reductionDefault.merging(["margin": .number(1)]) { $1 }) { input, target, p in
                let margin = try p.number("margin")
                return try mapPairs(input, target, p) { x, y in
                    // torch: where(y != 1, max(0, Δ − x), 0) + where(y != −1, x, 0).
                    (y == 1 ? 0 : max(0, margin - x)) + (y == -1 ? 0 : x)
                }
            },
            Entry(id: "multilabel-margin", defaults: reductionDefault) { input, target, p in
                try multilabelMargin(input, target, p)
            },
            Entry(id: "multilabel-soft-margin", defaults: reductionDefault.merging(["weight": .numbers([])]) { $1 }) { input, target, p in
                guard let target, target.shape == input.shape, let C = input.shape.last, C > 0 else {
                    throw ReferenceError.invalidInput("input [N, C] and target of equal shape")
                }
                let w = try p.numbers("weight")
                guard w.count <= 1 || w.count == C else { throw ReferenceError.invalidParameter(name: "weight", message: "length C") }
                var values: [Double] = []
                for row in 0..<(input.count / C) {
                    var s = 0.0
                    for c in 0..<C {
                        let x = input.data[row * C + c], y = target.data[row * C + c]
                        let wc = w.isEmpty ? 1 : (w.count == 1 ? w[0] : w[c])
                        s -= wc * (y * RefMath.logSigmoid(x) + (1 - y) * RefMath.logSigmoid(-x))
                    }
                    values.append(s / Double(C))
                }
                return RefMath.reduce(values, shape: Array(input.shape.dropLast()), try p.reduction())
            },
            Entry(id: "cosine-embedding", defaults: reductionDefault.merging(["margin": .number(0)]) { $1 }) { input, target, p in
                let margin = try p.number("margin")
                let (a, b) = try split2(input)
                guard (1...2).contains(a.shape.count), let target, target.shape == Array(a.shape.dropLast()) else {
                    throw ReferenceError.invalidInput("input [2, N, D] with target [N]")
                }
                let D = a.shape.last ?? 0
                var values: [Double] = []
                for i in 0..<target.count {
                    let u = Array(a.data[(i * D)..<((i + 1) * D)]), v = Array(b.data[(i * D)..<((i + 1) * D)])
                    let dot = zip(u, v).map(*).reduce(0, +)
                    let cos = dot / ((u.map { $0 * $0 }.reduce(0, +) + 1e-12) * (v.map { $0 * $0 }.reduce(0, +) + 1e-12)).squareRoot()
                    let y = target.data[i]
                    values.append(y == 1 ? 1 - cos : (y == -1 ? max(0, cos - margin) : 0))
                }
                return RefMath.reduce(values, shape: target.shape, try p.reduction())
            },
            Entry(id: "multi-margin", defaults: reductionDefault.merging([
                "p": .number(1), "margin": .number(1), "weight": .numbers([]),
            ]) { $1 }) { input, target, p in
                try multiMargin(input, target, p)
            },
            Entry(id: "triplet-margin", defaults: reductionDefault.merging([
                "margin": .number(1), "p": .number(2), "eps": .number(1e-6), "swap": .bool(false),
            ]) { $1 }) { input, target, p in
                try triplet(input, target, p)
            },
            Entry(id: "ctc", defaults: reductionDefault.merging([
                "blank": .number(0), "zero_infinity": .bool(false), "input_lengths": .numbers([]), "target_lengths": .numbers([]),
            ]) { $1 }) { input, target, p in
                try ctc(input, target, p)
            },
        ]
    }

    /// `[2, …]` → the two halves.
    static func split2(_ input: RefArray) throws -> (RefArray, RefArray) {
        guard input.shape.first == 2 else { throw ReferenceError.invalidInput("expected [2, …], got \(input.shape)") }
        let shape = Array(input.shape.dropFirst()), half = input.count / 2
        return (try RefArray(shape: shape, data: Array(input.data[..<half])), try RefArray(shape: shape, data: Array(input.data[half...])))
    }

    static func wholeNumber(_ v: Double) -> Int? { v.isFinite && v == v.rounded() && abs(v) < 1e9 ? Int(v) : nil }

    /// ℓ = −w_y x_y per position over [N, C, d…] (or [C] with a target []); mean over Σ w_y, 0 if nothing counts.
    static func nll(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard let target else { throw ReferenceError.invalidInput("nll needs class indices") }
        let unbatched = input.shape.count == 1 && target.shape.isEmpty
        let shape = unbatched ? [1] + input.shape : input.shape
        guard shape.count >= 2 else { throw ReferenceError.invalidInput("input [N, C, …]") }
        let positionShape = [shape[0]] + shape.dropFirst(2)
        let extraShape = [shape[0], 1] + shape.dropFirst(2)
        guard unbatched || target.shape == positionShape || (shape[1] != 1 && target.shape == extraShape) else {
            throw ReferenceError.invalidInput("target must be [N, d…]")
        }
        let C = shape[1], spatial = shape.dropFirst(2).reduce(1, *)
        let w = try p.numbers("weight"), ignore = try p.number("ignore_index")
        guard w.isEmpty || w.count == C else { throw ReferenceError.invalidParameter(name: "weight", message: "length C") }
        var values: [Double] = [], total = 0.0
        for (position, raw) in target.data.enumerated() {
            if raw == ignore { values.append(0); continue }
            guard let y = wholeNumber(raw), y >= 0, y < C else { throw ReferenceError.invalidInput("label \(raw)") }
            let n = position / spatial, s = position % spatial
            let weight = w.isEmpty ? 1 : w[y]
            values.append(-weight * input.data[(n * C + y) * spatial + s])
            total += weight
        }
        switch try p.reduction() {
        case .mean: return RefArray(scalar: total == 0 ? 0 : values.reduce(0, +) / total)
        case .sum: return RefArray(scalar: values.reduce(0, +))
        case .none: return try RefArray(shape: unbatched ? [] : positionShape, data: values)
        }
    }

    /// ½(log v + (μ − y)²/v) [+ ½ log 2π], v = max(σ², ε); input = [μ | σ²] along the last axis.
    static func gaussianNLL(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard let target, let D = target.shape.last, let L = input.shape.last, input.shape.count == target.shape.count,
              input.shape.dropLast() == target.shape.dropLast(), L == 2 * D || L == D + 1 else {
            throw ReferenceError.invalidInput("input [… , 2D] or [… , D+1] for target [… , D]")
        }
        let eps = try p.number("eps"), full = try p.bool("full")
        var values: [Double] = []
        for row in 0..<(D == 0 ? 0 : target.count / D) {
            for d in 0..<D {
                let sigma2 = input.data[row * L + D + (L == 2 * D ? d : 0)]
                guard !(sigma2 < 0) else { throw ReferenceError.invalidInput("negative variance") }
                let v = max(sigma2, eps)
                let r = input.data[row * L + d] - target.data[row * D + d]
                values.append(0.5 * (log(v) + r * r / v) + (full ? 0.5 * log(2 * .pi) : 0))
            }
        }
        return RefMath.reduce(values, shape: target.shape, try p.reduction())
    }

    /// (1/C) Σ_{j ∈ Y} Σ_{i ∉ Y} max(0, 1 − x_j + x_i), Y the indices before the first negative.
    static func multilabelMargin(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard (1...2).contains(input.shape.count), let target, target.shape == input.shape, let C = input.shape.last, C > 0 else {
            throw ReferenceError.invalidInput("input [N, C] and target of equal shape")
        }
        var values: [Double] = []
        for row in 0..<(input.count / C) {
            let x = Array(input.data[(row * C)..<((row + 1) * C)])
            var positives: [Int] = []
            for k in 0..<C {
                guard let j = wholeNumber(target.data[row * C + k]), j < C else { throw ReferenceError.invalidInput("label") }
                if j < 0 { break }
                positives.append(j)
            }
            let negatives = (0..<C).filter { !positives.contains($0) }
            var s = 0.0
            for j in positives { for i in negatives { s += max(0, 1 - x[j] + x[i]) } }
            values.append(s / Double(C))
        }
        return RefMath.reduce(values, shape: Array(input.shape.dropLast()), try p.reduction())
    }

    /// (1/C) Σ_{i ≠ y} w_y max(0, margin − x_y + x_i)^p over rows [N, C] (or [C]).
    static func multiMargin(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard (1...2).contains(input.shape.count), let target, target.shape == Array(input.shape.dropLast()),
              let C = input.shape.last, C > 0 else {
            throw ReferenceError.invalidInput("input [N, C] with target [N]")
        }
        let power = try p.number("p"), margin = try p.number("margin"), w = try p.numbers("weight")
        guard power == 1 || power == 2 else { throw ReferenceError.invalidParameter(name: "p", message: "1 or 2") }
        guard w.isEmpty || w.count == C else { throw ReferenceError.invalidParameter(name: "weight", message: "length C") }
        var values: [Double] = []
        for (row, raw) in target.data.enumerated() {
            guard let y = wholeNumber(raw), y >= 0, y < C else { throw ReferenceError.invalidInput("label \(raw)") }
            var s = 0.0
            for i in 0..<C where i != y {
                s += (w.isEmpty ? 1 : w[y]) * pow(max(0, margin - input.data[row * C + y] + input.data[row * C + i]), power)
            }
            values.append(s / Double(C))
        }
        return RefMath.reduce(values, shape: target.shape, try p.reduction())
    }

    /// max(0, margin + ‖a − p + ε‖ − ‖a − n + ε‖) with the optional swap, over [3, N, D] (or [3, D]).
    static func triplet(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard target == nil, input.shape.first == 3, (2...3).contains(input.shape.count) else {
            throw ReferenceError.invalidInput("input [3, N, D], no target")
        }
        let margin = try p.number("margin"), power = try p.number("p"), eps = try p.number("eps"), swap = try p.bool("swap")
        let D = input.shape.last!, n = input.shape.count == 3 ? input.shape[1] : 1
        func row(_ k: Int, _ i: Int) -> [Double] { Array(input.data[((k * n + i) * D)..<((k * n + i + 1) * D)]) }
        func distance(_ u: [Double], _ v: [Double]) -> Double {
            pow(zip(u, v).map { pow(abs($0 - $1 + eps), power) }.reduce(0, +), 1 / power)
        }
        let values = (0..<n).map { i -> Double in
            let (a, pos, neg) = (row(0, i), row(1, i), row(2, i))
            var dNeg = distance(a, neg)
            if swap { dNeg = min(dNeg, distance(pos, neg)) }
            return max(0, margin + distance(a, pos) - dNeg)
        }
        return RefMath.reduce(values, shape: Array(input.shape.dropFirst().dropLast()), try p.reduction())
    }

    /// −log Σ over alignments, by the forward recursion on the blank-extended target (log space).
    static func ctc(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard (2...3).contains(input.shape.count), let target else { throw ReferenceError.invalidInput("input [T, N, C], a target") }
        let batched = input.shape.count == 3
        let T = input.shape[0], N = batched ? input.shape[1] : 1, C = input.shape.last!
        let blank = Int(try p.number("blank")), zeroInfinity = try p.bool("zero_infinity")
        guard T > 0, blank >= 0, blank < C else { throw ReferenceError.invalidInput("blank or T") }
        let inputLengths = try p.numbers("input_lengths"), targetLengths = try p.numbers("target_lengths")
        guard inputLengths.isEmpty || inputLengths.count == N, targetLengths.isEmpty || targetLengths.count == N else {
            throw ReferenceError.invalidParameter(name: "input_lengths", message: "one per sample")
        }
        // Each sample's labels.
        var sequences: [[Int]] = []
        let labels = try target.data.map { v -> Int in
            guard let l = wholeNumber(v), l >= 0, l < C else { throw ReferenceError.invalidInput("label \(v)") }
            return l
        }
        if batched && target.shape.count == 2 && target.shape[0] == N {
            let S = target.shape[1]
            for n in 0..<N {
                let L = targetLengths.isEmpty ? S : Int(targetLengths[n])
                guard L >= 0, L <= S else { throw ReferenceError.invalidInput("target length") }
                sequences.append(Array(labels[(n * S)..<(n * S + L)]))
            }
        } else if target.shape.count == 1 && (batched ? !targetLengths.isEmpty : true) {
            var start = 0
            for n in 0..<N {
                let L = targetLengths.isEmpty ? target.count : Int(targetLengths[n])
                guard L >= 0, start + L <= target.count else { throw ReferenceError.invalidInput("target lengths") }
                sequences.append(Array(labels[start..<(start + L)]))
                start += batched ? L : 0
            }
            guard !batched || start == target.count else { throw ReferenceError.invalidInput("target lengths must sum to the target's size") }
        } else {
            throw ReferenceError.invalidInput("target shape")
        }
        var losses: [Double] = []
        for n in 0..<N {
            let Tn = inputLengths.isEmpty ? T : Int(inputLengths[n])
            guard Tn >= 1, Tn <= T, Double(Tn) == (inputLengths.isEmpty ? Double(T) : inputLengths[n]) else {
                throw ReferenceError.invalidInput("input length")
            }
            func lp(_ t: Int, _ c: Int) -> Double { input.data[(t * N + n) * C + c] }
            // Extended sequence: blank, y1, blank, y2, …, blank.
            var ext = [blank]
            for y in sequences[n] { ext += [y, blank] }
            func lse(_ a: Double, _ b: Double) -> Double {
                if a == -.infinity { return b }
                if b == -.infinity { return a }
                return max(a, b) + log1p(exp(-abs(a - b)))
            }
            var alpha = [Double](repeating: -.infinity, count: ext.count)
            alpha[0] = lp(0, ext[0])
            if ext.count > 1 { alpha[1] = lp(0, ext[1]) }
            for t in 1..<Tn {
                var next = [Double](repeating: -.infinity, count: ext.count)
                for s in 0..<ext.count {
                    var a = alpha[s]
                    if s > 0 { a = lse(a, alpha[s - 1]) }
                    if s > 1, ext[s] != blank, ext[s] != ext[s - 2] { a = lse(a, alpha[s - 2]) }
                    next[s] = a + lp(t, ext[s])
                }
                alpha = next
            }
            let end = ext.count > 1 ? lse(alpha[ext.count - 1], alpha[ext.count - 2]) : alpha[0]
            var loss = -end
            if loss == .infinity, zeroInfinity { loss = 0 }
            losses.append(loss)
        }
        switch try p.reduction() {
        case .mean:
            return RefArray(scalar: zip(losses, sequences).map { $0 / Double(max($1.count, 1)) }.reduce(0, +) / Double(N))
        case .sum: return RefArray(scalar: losses.reduce(0, +))
        case .none: return try RefArray(shape: batched ? [N] : [], data: losses)
        }
    }
}
