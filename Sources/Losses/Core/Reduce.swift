import Foundation

/// Reductions shared by every loss: `mean`, `sum`, `none`, with `Double` accumulation.
///
/// A loss computes its per-element (or per-sample) values, accumulates their sum in `Double`
/// and, only for `reduction: none`, keeps them as `Float`. `Reduce.value` then builds the
/// returned tensor, and `Reduce.gradientScale` the factor every per-element derivative is
/// multiplied by (`1/count` for `mean`, `1` otherwise), so value and gradient agree.
///
/// `mean` over zero elements is `sum / 0` unless the caller passes `emptyMean`: each loss
/// states what it returns when nothing contributes (PyTorch gives NaN for mean, 0 for sum).
public enum Reduce {
    /// The reduced value.
    /// - Parameters:
    ///   - sum: Σ of the element values (accumulated in `Double`).
    ///   - count: the `mean` denominator (number of elements, or a weight sum such as
    ///     Σ w_{y_i} for weighted cross entropy).
    ///   - elements: the unreduced values, used only for `.none`.
    ///   - shape: the unreduced shape, used only for `.none`.
    ///   - reduction: `mean`, `sum` or `none`.
    ///   - emptyMean: the `mean` value when `count == 0`; `nil` keeps `sum / count`.
    public static func value(sum: Double, count: Double, elements: @autoclosure () -> [Float], shape: [Int],
                             reduction: Reduction, emptyMean: Double? = nil) -> Tensor {
        switch reduction {
        case .sum:
            return Tensor(scalar: Float(sum))
        case .mean:
            if count == 0, let empty = emptyMean { return Tensor(scalar: Float(empty)) }
            return Tensor(scalar: Float(sum / count))
        case .none:
            // The loss guarantees elements.count == product(shape).
            return Tensor(unchecked: shape, data: elements())
        }
    }

    /// The factor ∂(reduced)/∂(element): `1/count` for `mean` (0 when `count == 0`: nothing
    /// contributed, so nothing moves), `1` for `sum` and `none`.
    @inlinable
    public static func gradientScale(_ reduction: Reduction, count: Double) -> Double {
        guard reduction == .mean else { return 1 }
        return count > 0 ? 1 / count : 0
    }

    /// Σ of `values` in `Double`, split across cores for large arrays.
    public static func sum(_ values: [Float]) -> Double {
        values.withUnsafeBufferPointer { buffer in
            Parallel.sum(count: buffer.count) { range in
                var s = 0.0
                for i in range { s += Double(buffer[i]) }
                return s
            }
        }
    }

    /// Σ of `values` in `Double`.
    public static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { buffer in
            Parallel.sum(count: buffer.count) { range in
                var s = 0.0
                for i in range { s += buffer[i] }
                return s
            }
        }
    }
}

/// Work split across cores with `DispatchQueue.concurrentPerform`, for large tensors only.
///
/// Chunks are contiguous index ranges and partial sums are added in chunk order, so results
/// do not depend on scheduling (they may differ in the last bits from a serial sum).
public enum Parallel {
    /// Below this many elements work runs on the calling thread.
    public static let grain = 1 << 16

    /// Calls `body` on contiguous ranges that partition `0..<count`, possibly concurrently.
    /// `body` must only write to indices inside its range.
    public static func forEach(count: Int, grain: Int = Parallel.grain, _ body: (Range<Int>) -> Void) {
        let chunks = chunkCount(count, grain)
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { k in
                work.value(range(k, of: chunks, count: count))
            }
        }
    }

    /// Σ over chunks of `body(range)`, added in chunk order.
    public static func sum(count: Int, grain: Int = Parallel.grain, _ body: (Range<Int>) -> Double) -> Double {
        let parts = map(count: count, grain: grain, body)
        return parts.dropFirst().reduce(parts.first ?? 0, +)
    }

    /// `body` of each chunk of `0..<count`, possibly computed concurrently, in chunk order (none
    /// for `count` 0); callers combine them in that order, so results do not depend on scheduling.
    static func map<T>(count: Int, grain: Int = Parallel.grain, _ body: (Range<Int>) -> T) -> [T] {
        let chunks = chunkCount(count, grain)
        if chunks <= 1 { return count > 0 ? [body(0..<count)] : [] }
        var partial = [T?](repeating: nil, count: chunks)
        partial.withUnsafeMutableBufferPointer { out in
            withoutActuallyEscaping(body) { body in
                // Each iteration writes its own slot of `out`; `body` is only read.
                let work = UncheckedSendable((body, out))
                DispatchQueue.concurrentPerform(iterations: chunks) { k in
                    work.value.1[k] = work.value.0(range(k, of: chunks, count: count))
                }
            }
        }
        return partial.map { $0! }
    }

    private static func chunkCount(_ count: Int, _ grain: Int) -> Int {
        guard count >= 2 * grain else { return 1 }
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return min(4 * cores, count / grain)
    }

    private static func range(_ k: Int, of chunks: Int, count: Int) -> Range<Int> {
        (k * count / chunks)..<((k + 1) * count / chunks)
    }
}

/// Lets `Parallel` hand closures and buffers to `concurrentPerform`; safe because every
/// iteration touches a disjoint range and the call returns only when all are done.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension Tensor {
    /// Builds a tensor whose element count the caller has already checked.
    init(unchecked shape: [Int], data: [Float]) {
        // Cannot fail when data.count == product(shape); the fallback keeps it trap-free.
        self = (try? Tensor(shape: shape, data: data)) ?? Tensor(shape: [data.count], repeating: .nan)
    }
}
