import ArgumentParser
import Foundation
import Site

/// `lossbook`: build, check and preview the site; list and evaluate the losses.
public struct Lossbook: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lossbook",
        abstract: "A bilingual knowledge base on loss functions, whose every number is computed.",
        version: LossbookVersion.current,
        subcommands: [BuildCommand.self, CheckCommand.self, InitCommand.self, NewCommand.self, RenderCommand.self, ListCommand.self, EvalCommand.self, TranslationsCommand.self, ServeCommand.self],
        defaultSubcommand: BuildCommand.self)

    public init() {}
}

/// Prints diagnostics compiler-style on standard error and exits non-zero.
func fail(_ error: Error, code: Int32 = 1) -> ExitCode {
    var stderr = StandardError()
    switch error {
    case let failure as BuildFailure:
        for diagnostic in failure.diagnostics { print(diagnostic, to: &stderr) }
        let n = failure.diagnostics.count
        print("\(n) error\(n == 1 ? "" : "s"); nothing was written", to: &stderr)
    case let diagnostic as Diagnostic:
        print(diagnostic, to: &stderr)
    default:
        print("error: \(error)", to: &stderr)
    }
    return ExitCode(code)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}

extension Lossbook {
    /// Entry point for the executable: parses the command line and runs the subcommand. A build's
    /// usual command lines are read without ArgumentParser (``QuickArguments``), the same as it reads them.
    public static func start() async {
        if let build = QuickArguments.build(Array(CommandLine.arguments.dropFirst())) {
            do {
                try await build.run()
            } catch {
                exit(withError: error)
            }
            return
        }
        let main: () async -> Void = Self.main
        await main()
    }
}
