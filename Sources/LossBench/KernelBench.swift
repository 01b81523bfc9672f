import Foundation
import Losses

/// Times forward (value) and forward + backward (value and gradient) of the dense loss kernels
/// and the distance transform, on a deterministic `[N, C, D, H, W]` problem that
/// `scripts/bench/kernels.py` rebuilds identically for the PyTorch/MONAI/SciPy peers.
///
/// Usage: `loss-bench [--shape 2,4,96,96,96] [--reps 3] [--cases dice,focal,…] [--clock wall|cpu]`
///
/// Prints one line per measurement: `case mode rep milliseconds peak-extra-MiB`, the milliseconds
/// of wall-clock time or, with `--clock cpu`, of CPU time of the whole process (user + system,
/// every thread: steadier than wall time on a loaded machine), and where the
/// peak extra memory is the growth of the process's peak resident set during that call
/// (Linux `VmHWM` after resetting it through `/proc/self/clear_refs`). Each case runs once
/// untimed first. Threads: the library's own (`DispatchQueue.concurrentPerform` over the
/// active processor count), reported on the first line.
enum KernelBench {
    /// The benchmarked losses: id and parameters (each the catalog's default peer call).
    static let losses: [(name: String, id: String, parameters: [String: ParameterValue])] = [
        ("cross-entropy", "cross-entropy", [:]),
        ("focal", "focal", [:]),
        ("dice", "dice", [:]),
        ("dice-ce", "dice-ce", [:]),
        ("tversky", "tversky", [:]),
        ("generalized-dice", "generalized-dice", [:]),
        ("hausdorff-dt", "hausdorff-dt", [:]),
        ("boundary", "boundary", [:]),
    ]

    static func main(_ arguments: [String]) {
        var shape = [2, 4, 96, 96, 96], reps = 3
        var only: Set<String>? = nil
        var cpuClock = false
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--shape": shape = value.split(separator: ",").compactMap { Int($0) }
            case "--reps": reps = Int(value) ?? reps
            case "--cases": only = Set(value.split(separator: ",").map(String.init))
            case "--clock" where ["wall", "cpu"].contains(value): cpuClock = value == "cpu"
            default:
                FileHandle.standardError.write("usage: loss-bench [--shape N,C,D,H,W] [--reps R] [--cases a,b] [--clock wall|cpu]\n".data(using: .utf8)!)
                exit(2)
            }
            i += 2
        }
        print("# threads \(ProcessInfo.processInfo.activeProcessorCount) shape \(shape.map(String.init).joined(separator: ",")) clock \(cpuClock ? "cpu" : "wall")")
        let clock = cpuClock ? BenchClock.cpu : BenchClock.wall
        let (input, target) = problem(shape)
        for loss in losses where only?.contains(loss.name) ?? true {
            guard let instance = try? Catalog.make(loss.id, loss.parameters) else { fatalError("cannot build \(loss.id)") }
            for (mode, gradient) in [("fwd", false), ("fwdbwd", true)] {
                time(loss.name, mode, reps, clock) { _ = try! instance.evaluate(input, target: target, gradient: gradient) }
            }
        }
        if only?.contains("edt") ?? true {
            // One (sample, class) mask: the target's class-1 region over the spatial axes.
            let spatial = Array(shape.dropFirst(2))
            let mask = target.data.prefix(spatial.reduce(1, *)).map { $0 == 1 }
            time("edt", "fwd", reps, clock) { _ = try! DistanceTransform.euclidean(mask, shape: spatial) }
        }
    }

    /// Logits and a label map, element for element as `kernels.py` builds them: nested spheres
    /// around the centre give the labels (class = ⌊r / 12⌋ mod C); the logits favour the label
    /// by 2 and carry a smooth deterministic ripple.
    static func problem(_ shape: [Int]) -> (Tensor, Tensor) {
        let N = shape[0], C = shape[1], spatial = Array(shape.dropFirst(2))
        let S = spatial.reduce(1, *)
        var labels = [Float](repeating: 0, count: N * S)
        for n in 0..<N {
            for s in 0..<S {
                var rest = s, r2 = 0.0
                for axis in spatial.indices.reversed() {
                    let size = spatial[axis], k = rest % size
                    rest /= size
                    let d = Double(k) - Double(size) / 2 + Double(n) * 3
                    r2 += d * d
                }
                labels[n * S + s] = Float(Int(r2.squareRoot() / 12) % C)
            }
        }
        var logits = [Float](repeating: 0, count: N * C * S)
        for n in 0..<N {
            for c in 0..<C {
                for s in 0..<S {
                    let i = (n * C + c) * S + s
                    let ripple = Float(sin(0.37 * Double(s % 9973) + Double(c)))
                    logits[i] = 0.5 * ripple + (labels[n * S + s] == Float(c) ? 2 : 0)
                }
            }
        }
        return (try! Tensor(shape: shape, data: logits), try! Tensor(shape: [N] + spatial, data: labels))
    }

    static func time(_ name: String, _ mode: String, _ reps: Int, _ clock: () -> UInt64, _ body: () -> Void) {
        body()
        for rep in 0..<reps {
            let before = Memory.resetPeak()
            let start = clock()
            body()
            let ms = Double(clock() - start) / 1e6
            let extra = max(0, Memory.peak() - before)
            print(String(format: "%@ %@ %d %.3f %.1f", name, mode, rep, ms, Double(extra) / 1048576))
        }
    }
}

/// The two clocks `loss-bench` can time with, in nanoseconds.
enum BenchClock {
    static func wall() -> UInt64 { now(CLOCK_MONOTONIC) }

    /// CPU time of the process (user + system), every thread included.
    static func cpu() -> UInt64 { now(CLOCK_PROCESS_CPUTIME_ID) }

    private static func now(_ id: clockid_t) -> UInt64 {
        var t = timespec()
        clock_gettime(id, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

/// Peak resident memory of this process (Linux; 0 elsewhere).
enum Memory {
    /// Resets the peak to the current resident size and returns that size in bytes.
    static func resetPeak() -> Int {
        if let f = fopen("/proc/self/clear_refs", "w") { fputs("5", f); fclose(f) }
        return field("VmRSS:")
    }

    /// The peak resident size since the last reset, in bytes.
    static func peak() -> Int { field("VmHWM:") }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kb * 1024
    }
}
