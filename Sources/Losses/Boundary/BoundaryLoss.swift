import Foundation

/// Boundary loss (Kervadec et al. 2019) with MONAI `BoundaryLoss` semantics.
///
/// Per (sample, kept class), with φ the signed distance map of the target mask g > ½
/// (`DistanceTransform.signedBoundaryMap`: positive outside, 0 on the inner boundary, −(d − 1)
/// inside, 0 for an absent or full class) and S the number of spatial elements:
///
/// ```latex
/// \mathcal{L}_{n,c} = \frac{1}{S}\sum_i \phi_{n,c,i}\; p_{n,c,i}
/// ```
///
/// `batch` averages over the batch per class; then `mean`, `sum` or `none` (`[N, C′]`, `[C′]`
/// with batch). The value can be negative: probability mass inside the object earns −(d − 1).
/// `spacing` gives the grid step per spatial axis. NaN inputs propagate.
public struct BoundaryLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "boundary",
        category: .boundary,
        formulas: [
            #"\mathcal{L}_{n,c} = \frac{1}{|\Omega|}\sum_{i \in \Omega} \phi_{n,c}(i)\, p_{n,c}(i)"#,
            #"\phi = \begin{cases} \operatorname{edt}(\lnot g)\cdot \lnot g - \left(\operatorname{edt}(g) - 1\right)\cdot g, & \min_{i \in \Omega} g < \max_{i \in \Omega} g \\ 0, & \text{otherwise} \end{cases}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("batch", .bool, default: .bool(false)),
            BoundaryText.spacing,
            .activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.BoundaryLoss(softmax=True, to_onehot_y=True)"),
            PeerEquivalent("reference", "LIVIAETS/boundary-loss SurfaceLoss(idc=[1])(softmax(x), one_hot2dist(y))"),
        ],
        citation: Citation("Kervadec H., Bouchtiba J., Desrosiers C., Granger E., Dolz J., Ben Ayed I. Boundary loss for highly unbalanced segmentation. MIDL 2019, PMLR 102:285–296; Medical Image Analysis 67:101851, 2021.",
                           url: "https://arxiv.org/abs/1812.07032"))

    let settings: RegionSettings
    let spacing: [Double]

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        spacing = try parameters.numbers("spacing")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let problem = try settings.problem(input, target: target)
        let layout = problem.layout, S = layout.spatial
        let steps = try BoundaryText.spacing(spacing, layout: layout)
        // φ for every kept (n, c), in the input layout (0 for classes left out), kept only for the
        // gradient and stored as Float (the gradient's own precision); the value sums φ·p in Double.
        let g = problem.target, p = problem.probabilities.p
        var phi = [Float](repeating: 0, count: gradient ? layout.count : 0)
        var sliceSums = [Double](repeating: 0, count: layout.batch * problem.keptClasses)
        try phi.withUnsafeMutableBufferPointer { phi in
            try sliceSums.withUnsafeMutableBufferPointer { sliceSums in
                try BoundaryText.forEachSlice(problem) { n, c, slice in
                    let base = layout.index(n, c, 0)
                    let mask = (0..<S).map { g[base + $0] > 0.5 }
                    let map = try DistanceTransform.signedBoundaryMap(mask, shape: layout.spatialShape, spacing: steps)
                    var sum = 0.0
                    for s in 0..<S { sum += map[s] * Double(p[base + s]) }
                    if gradient { for s in 0..<S { phi[base + s] = Float(map[s]) } }
                    sliceSums[slice] = sum
                }
            }
        }
        let perSample = 1 / Double(S) / Double(settings.batch ? layout.batch : 1)
        let values = BoundaryText.entryValues(sliceSums, problem: problem, factor: perSample)
        let (value, scale) = problem.reduce(values, settings.reduction)
        guard gradient else { return LossOutput(value: value) }
        let k = Float(perSample * scale)
        for i in phi.indices { phi[i] *= k }
        return LossOutput(value: value, gradient: problem.backward(phi))
    }
}

/// Texts, checks and loops shared by the distance-map losses.
enum BoundaryText {
    /// Runs `body(n, c, slice)` for every (sample, kept class) — `slice` = n·C′ + (c − first) —
    /// concurrently when the input is large and there is more than one slice (each slice writes
    /// only its own elements); the first error thrown is rethrown.
    static func forEachSlice(_ problem: RegionProblem, _ body: (Int, Int, Int) throws -> Void) throws {
        let K = problem.keptClasses, first = problem.firstClass
        let slices = problem.layout.batch * K
        guard slices > 1, problem.layout.count >= Parallel.grain else {
            for slice in 0..<slices { try body(slice / K, first + slice % K, slice) }
            return
        }
        var errors = [(any Error)?](repeating: nil, count: slices)
        try withoutActuallyEscaping(body) { body in
            errors.withUnsafeMutableBufferPointer { errors in
                let work = UncheckedSendable((body, errors))
                DispatchQueue.concurrentPerform(iterations: slices) { slice in
                    do { try work.value.0(slice / K, first + slice % K, slice) } catch { work.value.1[slice] = error }
                }
            }
            if let error = errors.lazy.compactMap({ $0 }).first { throw error }
        }
    }

    /// Per-entry values from per-slice sums: each slice's sum times `factor`, added into its
    /// entry (slices of one class share an entry with `batch`), in slice order.
    static func entryValues(_ sliceSums: [Double], problem: RegionProblem, factor: Double) -> [Double] {
        var values = [Double](repeating: 0, count: problem.entries)
        let K = problem.keptClasses
        for (slice, sum) in sliceSums.enumerated() {
            values[problem.entry(slice / K, problem.firstClass + slice % K)!] += sum * factor
        }
        return values
    }

    static let spacing = ParameterSpec("spacing", .numbers(min: 0, max: nil), default: .numbers([]))

    /// The spacing per spatial axis (nil = unit), checked against the input's spatial rank.
    static func spacing(_ values: [Double], layout: ClassScoreShape) throws -> [Double]? {
        guard !values.isEmpty else { return nil }
        let rank = layout.spatialShape.count
        guard values.count == 1 || values.count == rank else {
            throw LossError.invalidInput("\(values.count) spacings given for \(rank) spatial axes")
        }
        guard values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw LossError.invalidInput("every spacing must be finite and > 0, got \(values)")
        }
        return values.count == 1 ? Array(repeating: values[0], count: rank) : values
    }
}
