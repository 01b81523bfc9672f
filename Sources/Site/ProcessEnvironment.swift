import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One variable of the process's environment, read with `getenv`.
///
/// `ProcessInfo.processInfo.environment` makes a dictionary of every variable at each call (about
/// 12,000 instructions a variable): a build with nothing to do asked for it four times, for one or
/// two names each, and spent 1.9 M of its 21.7 M instructions there (500 pages per language, `valgrind
/// --tool=callgrind`). A child process's whole environment still comes from `ProcessInfo`.
public enum ProcessEnvironment {
    /// The variable's value (invalid UTF-8 repaired, as `ProcessInfo` reads it); nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
