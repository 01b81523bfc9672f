import Foundation
import LossEvaluation
import Site

/// The fuzz targets, by the name `scripts/fuzz.sh` gives them: each takes arbitrary bytes and
/// must return without trapping, hanging or exhausting memory.
enum FuzzTarget {
    static let names = ["markdown", "front-matter", "directive", "eval"]

    static func entry(_ name: String) -> (@Sendable (Data) -> Void)? {
        switch name {
        case "markdown": return FuzzEntry.markdown
        case "front-matter": return FuzzEntry.frontMatter
        case "directive": return FuzzEntry.directive
        case "eval": return EvaluationFuzzEntry.evaluate
        default: return nil
        }
    }
}

#if LOSSBOOK_FUZZ
/// libFuzzer's driver, from `libclang_rt.fuzzer_no_main` (scripts/fuzz.sh links it into this
/// binary only: Swift's `-sanitize=fuzzer` would give every executable of the build libFuzzer's
/// `main`, the build's own tools included).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The target this process fuzzes: `LOSSBOOK_FUZZ_TARGET` (libFuzzer owns the command line).
nonisolated(unsafe) var target: @Sendable (Data) -> Void = { _ in }

@main
enum Fuzz {
    static func main() {
        let name = ProcessInfo.processInfo.environment["LOSSBOOK_FUZZ_TARGET"] ?? ""
        guard let entry = FuzzTarget.entry(name) else {
            FileHandle.standardError.write(Data("lossbook-fuzz: error: LOSSBOOK_FUZZ_TARGET must be one of \(FuzzTarget.names.joined(separator: ", ")), not '\(name)'\n".utf8))
            exit(2)
        }
        target = entry
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            target(size == 0 ? Data() : Data(bytes: data!, count: size))
            return 0
        })
    }
}
#else
/// Without libFuzzer, a corpus replayer: `lossbook-fuzz TARGET FILE…` runs each file through
/// the target's entry point once.
@main
enum Replay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let entry = FuzzTarget.entry(name) else {
            FileHandle.standardError.write(Data("usage: lossbook-fuzz \(FuzzTarget.names.joined(separator: "|")) FILE…\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() { entry(try Data(contentsOf: URL(fileURLWithPath: path))) }
    }
}
#endif
