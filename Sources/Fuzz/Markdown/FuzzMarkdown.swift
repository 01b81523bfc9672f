import Foundation
import Site

#if LOSSBOOK_FUZZ
/// libFuzzer's entry point (built by scripts/fuzz.sh with -sanitize=fuzzer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzEntry.markdown(Data(bytes: data, count: size))
    return 0
}
#else
/// Without libFuzzer: runs each file named on the command line through the entry point once.
@main
enum Replay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            FuzzEntry.markdown(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }
}
#endif
