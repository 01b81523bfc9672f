import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Node.js helper processes (``RenderHelper``) and the requests spread over them.
///
/// A `serve` session keeps its pool from one rebuild to the next (starting Node.js and loading
/// KaTeX again for every rebuild cost more than typesetting a block's new numbers); `lossbook
/// build` starts one while it reads the notes, when its render cache is empty
/// (``SiteBuilder/startHelpers(_:)``), and stops it once the formulas are typeset.
///
/// ``render(_:tools:macros:)`` hands the requests out in small chunks, each to whichever process
/// is free (so that a process slowed down by other work on the machine does not hold up the
/// build), and reads the answers as they come. Slot `n`'s process is started on first need,
/// started again when it has died (or was stopped for taking longer than `tools.timeout` on a
/// chunk), and every process is stopped when the pool goes away (its stdin closes: it exits).
final class RenderWorkers: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Int: Worker] = [:]
    /// Helper processes started so far (tests check that a second rebuild starts none).
    private(set) var started = 0

    init() {}

    deinit { for worker in slots.values { worker.stop() } }

    /// Starts `count` helpers now, so that their start-up overlaps other work. Best effort: a
    /// helper that cannot start is reported by the render that needs it.
    func start(_ count: Int, tools: RenderTools) {
        for slot in 0..<count { _ = try? worker(slot, tools: tools) }
    }

    /// Every request's answer, in order, and how many processes shared the work.
    func render(_ requests: [RenderRequest], tools: RenderTools, macros: [String: String]) throws -> (results: [RenderResult], processes: Int) {
        guard !requests.isEmpty else { return ([], 0) }
        let plan = RenderHelper.plan(count: requests.count, processors: tools.helpers)
        let chunks = stride(from: 0, to: requests.count, by: plan.chunk).map { $0..<min($0 + plan.chunk, requests.count) }
        let results = ConcurrentResults<[RenderResult]>(count: chunks.count)
        let queue = WorkQueue(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: plan.processes) { slot in
            while let index = queue.next() {
                do {
                    let input = try RenderHelper.encode(requests[chunks[index]], macros: macros)
                    results.set(index, try ask(slot, input, count: chunks[index].count, tools: tools))
                } catch {
                    queue.fail(error)
                }
            }
        }
        if let error = queue.error { throw error }
        return (chunks.indices.flatMap { results[$0]! }, plan.processes)
    }

    /// Stops every helper (the next request starts new ones).
    func stop() {
        let workers = lock.withLock { defer { slots = [:] }; return Array(slots.values) }
        for worker in workers { worker.stop() }
    }

    private func ask(_ slot: Int, _ input: Data, count: Int, tools: RenderTools) throws -> [RenderResult] {
        let worker = try self.worker(slot, tools: tools)
        let outcome = worker.ask(input, count: count, timeout: tools.timeout)
        if let results = outcome.results { return results }
        worker.stop()
        lock.withLock { if slots[slot] === worker { slots[slot] = nil } }
        if outcome.timedOut { throw RenderHelper.timedOut(tools) }
        if RenderHelper.refusedFlags(tools, arguments: worker.arguments, errors: outcome.errors) {
            return try ask(slot, input, count: count, tools: tools)
        }
        throw RenderHelper.failed(tools, status: outcome.status, errors: outcome.errors)
    }

    private func worker(_ slot: Int, tools: RenderTools) throws -> Worker {
        lock.lock(); defer { lock.unlock() }
        let arguments = RenderHelper.arguments(tools)
        if let worker = slots[slot], worker.arguments == arguments, worker.process.isRunning { return worker }
        slots[slot]?.stop()
        let worker: Worker
        do { worker = try Worker(arguments: arguments) } catch { throw RenderHelper.cannotStart(tools, error) }
        slots[slot] = worker
        started += 1
        return worker
    }

    private final class Worker: @unchecked Sendable {
        let arguments: [String]
        let process = Process()
        private let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        private let lock = NSLock()
        private var errors = Data()
        private var reader = RenderHelper.AnswerReader()

        struct Outcome {
            /// nil when the helper died or was stopped before answering every request.
            var results: [RenderResult]?
            var status: Int32
            var errors: Data
            var timedOut: Bool
        }

        init(arguments: [String]) throws {
            _ = ChildProcess.ignoreBrokenPipes
            self.arguments = arguments
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.environment = RenderHelper.environment(ProcessInfo.processInfo.environment)
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            // Drained as it comes, so the helper never blocks on a full error pipe.
            stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { handle.readabilityHandler = nil; return }
                self.lock.withLock { self.errors.append(data) }
            }
        }

        /// Sends one chunk and reads its `count` answers; stops the helper after `timeout` seconds.
        func ask(_ input: Data, count: Int, timeout: TimeInterval) -> Outcome {
            let timedOut = Flag()
            let deadline = DispatchWorkItem { [process] in
                guard process.isRunning else { return }
                timedOut.set()
                process.terminate()
                DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
            defer { deadline.cancel() }
            // The helper reads the whole line before it answers: writing first cannot block on its output.
            let written = (try? stdin.fileHandleForWriting.write(contentsOf: input)) != nil
            var results: [RenderResult] = reader.take()
            results.reserveCapacity(count)
            while written, results.count < count, !reader.malformed {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                reader.append(chunk)
                results += reader.take()
            }
            guard results.count < count || reader.malformed else {
                // What it wrote to stderr since it started (or last answered) explains a failure only.
                lock.withLock { errors = Data() }
                return Outcome(results: results, status: 0, errors: Data(), timedOut: false)
            }
            // It died, or was stopped: its status and first error line say why.
            var status: Int32 = 0
            if !process.isRunning || timedOut.value { process.waitUntilExit(); status = process.terminationStatus }
            if status == 0 { status = -1 }
            Thread.sleep(forTimeInterval: 0.05)  // let the last error bytes arrive
            return Outcome(results: nil, status: status, errors: lock.withLock { errors }, timedOut: timedOut.value)
        }

        func stop() {
            try? stdin.fileHandleForWriting.close()
            if process.isRunning { process.terminate() }
        }
    }

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        var value: Bool { lock.withLock { raised } }
        func set() { lock.withLock { raised = true } }
    }
}
