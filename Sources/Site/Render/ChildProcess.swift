import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a helper program: feeds it `input`, collects its output and errors concurrently (so
/// neither pipe can fill up and block it), and kills it when it stops answering.
///
/// SIGPIPE is ignored for the whole process: a helper that dies before reading its input must
/// become an error message, not a silent exit 141 of lossbook itself.
enum ChildProcess {
    struct Outcome {
        var status: Int32
        var output: Data
        var errors: Data
        /// Killed after `timeout` seconds without finishing.
        var timedOut: Bool
    }

    static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// - Parameter executable: a name looked up on `PATH` (through `/usr/bin/env`) or a path.
    /// - Throws: when the program cannot be started at all.
    static func run(executable: String, arguments: [String], input: Data, timeout: TimeInterval) throws -> Outcome {
        _ = ignoreBrokenPipes
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()

        let group = DispatchGroup()
        let box = Box()
        DispatchQueue.global().async(group: group) {
            // A helper that exits early makes this fail with EPIPE: ignored, its status says why.
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        DispatchQueue.global().async(group: group) {
            let errors = stderr.fileHandleForReading.readDataToEndOfFile()
            box.lock.withLock { box.errors = errors }
        }
        let deadline = DispatchWorkItem {
            guard process.isRunning else { return }
            box.lock.withLock { box.timedOut = true }
            process.terminate()
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        deadline.cancel()
        group.wait()
        return box.lock.withLock {
            Outcome(status: process.terminationStatus, output: output, errors: box.errors, timedOut: box.timedOut)
        }
    }

    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var errors = Data()
        var timedOut = false
    }
}
