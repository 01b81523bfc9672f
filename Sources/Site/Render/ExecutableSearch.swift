import Foundation

/// The executable file `name` runs, found as `execvp` (and so `/usr/bin/env`, which starts the
/// build's helpers) finds it: a name with a `/` is a path; any other is looked up in each folder of
/// `PATH` in turn, where an empty entry (`PATH=` or `a::b`) is the current folder, and
/// `/bin:/usr/bin` stands for an unset `PATH`. Only a regular file this process may execute counts
/// (a folder named `node` does not); links are left as they are.
/// - Returns: nil when there is none.
public func executable(named name: String,
                       path: String? = ProcessEnvironment.value("PATH")) -> URL? {
    guard !name.isEmpty else { return nil }
    let candidates = name.contains("/") ? [name]
        : (path ?? "/bin:/usr/bin").split(separator: ":", omittingEmptySubsequences: false)
            .map { "\($0.isEmpty ? FileManager.default.currentDirectoryPath : String($0))/\(name)" }
    for candidate in candidates where access(candidate, X_OK) == 0 {
        var info = stat()
        if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { return URL(fileURLWithPath: candidate) }
    }
    return nil
}
