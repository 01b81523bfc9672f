import ArgumentParser
import Foundation
import Site
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `build` and `check` report: compiler-style text or JSON lines, all or only errors, and
/// whether warnings fail the build.
struct DiagnosticOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Diagnostics as compiler-style text, or as JSON, one object a line on standard output (file, line, column, severity, stage, message, hint).")
    var format: Format = .text
    @Flag(name: .shortAndLong, help: "Print only errors: no warnings, no summary.")
    var quiet = false
    @Flag(help: "Warnings fail the build (exit 1, nothing written).")
    var strict = false

    var output: DiagnosticOutput { DiagnosticOutput(format: format, quiet: quiet) }
}

/// Prints diagnostics and summaries as `DiagnosticOptions` asks. Text goes to standard error,
/// `error:` in red and `warning:` in magenta on a terminal (not when `NO_COLOR` is set); JSON
/// lines go to standard output, which then holds nothing else (summaries move to standard error).
struct DiagnosticOutput {
    var json = false
    var quiet = false
    var colour = false
    /// `--verbose`: each diagnostic's ``Diagnostic/details`` under its line, indented.
    var verbose = false

    /// Colour only for a terminal, and never with `NO_COLOR` (https://no-color.org) or `TERM=dumb`.
    static func colourWanted(environment: (String) -> String? = ProcessEnvironment.value,
                             isTerminal: Bool = isatty(STDERR_FILENO) != 0) -> Bool {
        guard isTerminal else { return false }
        if let noColour = environment("NO_COLOR"), !noColour.isEmpty { return false }
        return environment("TERM") != "dumb"
    }

    /// One diagnostic as printed in text mode: its line, then with `--verbose` its details.
    func text(_ diagnostic: Diagnostic) -> String {
        guard verbose, !diagnostic.details.isEmpty else { return line(diagnostic) }
        return ([line(diagnostic)] + diagnostic.details.map { "    " + $0 }).joined(separator: "\n")
    }

    /// A diagnostic's one line, coloured on a terminal.
    private func line(_ diagnostic: Diagnostic) -> String {
        let plain = diagnostic.description
        guard colour else { return plain }
        let location = "\(diagnostic.path):\(diagnostic.line):\(diagnostic.column): "
        let label = diagnostic.isWarning ? "warning:" : "error:"
        guard plain.hasPrefix(location + label) else { return plain }
        let code = diagnostic.isWarning ? "1;35" : "1;31"
        return location + "\u{1B}[\(code)m\(label)\u{1B}[0m" + plain.dropFirst(location.count + label.count)
    }

    func emit(_ diagnostic: Diagnostic) {
        if quiet, diagnostic.isWarning { return }
        if json {
            FileHandle.standardOutput.write(Data((diagnostic.jsonLine + "\n").utf8))
        } else {
            FileHandle.standardError.write(Data((text(diagnostic) + "\n").utf8))
        }
    }

    /// A successful build's warnings, in one write (a site can have thousands).
    /// A skipped build's are printed as the build before it printed them, when nothing is added.
    func warnings(_ report: BuildReport) {
        // A skipped build's warnings are those of the successful build it stands for, warnings
        // all: with `--quiet` none is printed, so none is made from the stamp's lines (24,000 on a
        // 2,000-page-per-language corpus, a quarter of such a build's CPU).
        if quiet, report.keptWarnings != nil { return }
        if let kept = report.keptWarnings, !json, !colour {
            kept.write(to: STDERR_FILENO)
            return
        }
        // The lines the build made for its stamp, unless a warning brings details to show.
        if let text = report.warningsText, !json, !colour, !quiet, !verbose || !report.warningsHaveDetails {
            FileHandle.standardError.write(text)
            return
        }
        // Nothing to print, and nothing made from the kept pages' bytes to find that out.
        if quiet, report.warningsAreAllWarnings { return }
        emit(report.warnings)
    }

    /// Many diagnostics to their stream, in writes of 64 KB: the same text as ``emit(_:)-swift.method``
    /// one by one, without a string per line where no colour or details are added.
    func emit(_ diagnostics: [Diagnostic]) {
        let stream = json ? FileHandle.standardOutput : FileHandle.standardError
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 16 + 4096)
        for diagnostic in diagnostics where !(quiet && diagnostic.isWarning) {
            if json {
                chunk.append(contentsOf: diagnostic.jsonLine.utf8)
            } else if !colour, !verbose || diagnostic.details.isEmpty {
                diagnostic.appendDescription(to: &chunk)
            } else {
                chunk.append(contentsOf: text(diagnostic).utf8)
            }
            chunk.append(0x0A)
            if chunk.count >= 1 << 16 {
                stream.write(Data(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { stream.write(Data(chunk)) }
    }

    /// A summary line (`built 5 pages …`): standard output in text mode, standard error with
    /// JSON, nothing with `--quiet`.
    func summary(_ line: String) {
        guard !quiet else { return }
        if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
        }
    }

    /// A failed build's diagnostics, then the count; the exit code to throw.
    func failure(_ error: Error) -> ExitCode {
        let diagnostics: [Diagnostic]
        switch error {
        case let failure as BuildFailure: diagnostics = failure.diagnostics
        case let diagnostic as Diagnostic: diagnostics = [diagnostic]
        default:
            if json {
                emit(Diagnostic("", line: 0, column: 0, stage: .output, "\(error)"))
            } else {
                FileHandle.standardError.write(Data(((colour ? "\u{1B}[1;31merror:\u{1B}[0m " : "error: ") + "\(error)\n").utf8))
            }
            return ExitCode(1)
        }
        emit(diagnostics)
        let errors = diagnostics.filter { !$0.isWarning }.count
        let warnings = diagnostics.count - errors
        var counts: [String] = []
        if errors > 0 { counts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { counts.append("\(warnings) warning\(warnings == 1 ? "" : "s") (--strict)") }
        if diagnostics.count > 1 || !(error is Diagnostic) {
            FileHandle.standardError.write(Data("\(counts.joined(separator: ", ")); nothing was written\n".utf8))
        }
        return ExitCode(1)
    }
}

extension DiagnosticOutput {
    /// As `--format` and `--quiet` ask, in colour when standard error is a terminal that wants it.
    init(format: DiagnosticOptions.Format, quiet: Bool) {
        self.init(json: format == .json, quiet: quiet, colour: Self.colourWanted())
    }
}
