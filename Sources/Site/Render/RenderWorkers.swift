import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Node.js helpers of a `serve` session, kept running between rebuilds: starting Node.js and
/// loading KaTeX again for every rebuild cost more than typesetting a block's new numbers.
///
/// Slot `n` serves the `n`-th batch of a rebuild (``RenderHelper/batches(_:processors:)``); a slot's
/// process is started on first need, started again when it has died (or was stopped for taking
/// longer than `tools.timeout` on a request), and every process is stopped when the pool goes
/// away (its stdin closes: the helper exits). Each request is a line of JSON; the answers are
/// one line each, as for `lossbook build`, which starts a process per batch instead.
final class RenderWorkers: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Int: Worker] = [:]
    /// Helper processes started so far (tests check that a second rebuild starts none).
    private(set) var started = 0

    init() {}

    deinit { for worker in slots.values { worker.stop() } }

    func render(_ requests: [RenderRequest], slot: Int, tools: RenderTools, macros: [String: String]) throws -> [RenderResult] {
        guard !requests.isEmpty else { return [] }
        let input = try RenderHelper.encode(requests, tools: tools, macros: macros)
        let worker = try self.worker(slot, tools: tools)
        let outcome = worker.ask(input + Data("\n".utf8), lines: requests.count, timeout: tools.timeout)
        if outcome.status != 0 || outcome.timedOut {
            worker.stop()
            lock.withLock { if slots[slot] === worker { slots[slot] = nil } }
        }
        return try RenderHelper.answers(outcome, count: requests.count, tools: tools)
    }

    /// Stops every helper (the next request starts new ones).
    func stop() {
        let workers = lock.withLock { defer { slots = [:] }; return Array(slots.values) }
        for worker in workers { worker.stop() }
    }

    private func worker(_ slot: Int, tools: RenderTools) throws -> Worker {
        lock.lock(); defer { lock.unlock() }
        if let worker = slots[slot], worker.executable == tools.node, worker.process.isRunning { return worker }
        slots[slot]?.stop()
        let worker: Worker
        do { worker = try Worker(executable: tools.node) } catch { throw RenderHelper.cannotStart(tools, error) }
        slots[slot] = worker
        started += 1
        return worker
    }

    private final class Worker: @unchecked Sendable {
        let executable: String
        let process = Process()
        private let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        private let lock = NSLock()
        private var errors = Data()

        init(executable: String) throws {
            _ = ChildProcess.ignoreBrokenPipes
            self.executable = executable
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable, "-e", RenderHelper.script]
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

        /// Sends one request and reads its `lines` answers; stops the helper after `timeout` seconds.
        func ask(_ input: Data, lines: Int, timeout: TimeInterval) -> ChildProcess.Outcome {
            lock.withLock { errors = Data() }
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
            var output = Data()
            var newlines = 0
            while written, newlines < lines {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                newlines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                output.append(chunk)
            }
            var status: Int32 = 0
            if newlines < lines {
                // It died, or was stopped: its status and first error line say why.
                if !process.isRunning || timedOut.value { process.waitUntilExit(); status = process.terminationStatus }
                if status == 0 { status = -1 }
                Thread.sleep(forTimeInterval: 0.05)  // let the last error bytes arrive
            }
            return ChildProcess.Outcome(status: status, output: output, errors: lock.withLock { errors }, timedOut: timedOut.value)
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
