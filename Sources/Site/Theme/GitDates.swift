import Foundation

/// When each note last changed, from the history of the repository holding it: one
/// `git log` for the whole content folder (not one a file), newest commit first, so the first
/// commit naming a file is its last change. Outside a repository, or without `git`, no dates.
enum GitDates {
    /// Absolute path of each file under `directory` → its last commit's date (ISO 8601, `%cI`).
    static func lastModified(in directory: URL) -> [String: String] {
        let root = directory.standardizedFileURL
        guard let outcome = try? ChildProcess.run(
            executable: "git",
            arguments: ["-c", "core.quotePath=false", "-C", root.path, "log", "--format=%x00%cI", "--name-only", "--relative", "--", "."],
            input: Data(), timeout: 60),
            outcome.status == 0 else { return [:] }
        return parse(String(decoding: outcome.output, as: UTF8.self), root: root)
    }

    /// `\0DATE\n\nfile\nfile\n…` per commit, newest first.
    static func parse(_ log: String, root: URL) -> [String: String] {
        var dates: [String: String] = [:]
        for record in log.split(separator: "\0") {
            let lines = record.split(separator: "\n")
            guard let date = lines.first else { continue }
            for file in lines.dropFirst() where !file.isEmpty {
                let path = root.appendingPathComponent(String(file)).standardizedFileURL.path
                if dates[path] == nil { dates[path] = String(date) }
            }
        }
        return dates
    }
}

extension GitDates {
    /// ``lastModified(in:)`` run on a thread of its own from the start of a build, for `assemble`
    /// to take when it comes to it: waiting for `git log` there was a tenth of the wall time of a
    /// prose edit of this repository's content.
    ///
    /// Outside a repository (no `.git` from the folder to the root, neither `GIT_DIR` nor
    /// `GIT_WORK_TREE` set: ``BuildSession/headStamp(_:)``) `git log` can only fail, and is not
    /// started: a process at every build of such a folder was 2 % of a prose edit's CPU samples.
    ///
    /// With a cache folder, the dates are kept there (``KeptBetweenBuilds``) under the HEAD's stamp,
    /// and `git` is asked again only when the HEAD has moved, as a `serve` session does
    /// (``BuildSession/gitDates(in:_:)``): `git log` over this repository's history was 30 ms of
    /// CPU, half of a prose edit's. No dates (no commit touches the folder, or `git` failed) are
    /// not kept.
    /// - Parameter cache: the build's cache folder; nil asks `git` at every build.
    /// - Parameter find: what asks `git` (a test's counter).
    static func ahead(_ directory: URL, keptIn cache: URL? = nil,
                      find: @escaping @Sendable (URL) -> [String: String] = { lastModified(in: $0) }) -> Site.Ahead<[String: String]> {
        let stamp = BuildSession.headStamp(directory)
        guard stamp != BuildSession.outsideARepository else { return Site.Ahead { [:] } }
        guard let stamp, let cache else { return Site.Ahead { find(directory) } }
        return Site.Ahead {
            struct NoDates: Error {}
            let key = stamp + "\u{1}" + directory.standardizedFileURL.path
            return (try? KeptBetweenBuilds.value("git-dates", key: key, cache: cache, store: { $0 },
                                                 read: { try $0.dictionary { try $0.string() } }) {
                let dates = find(directory)
                guard !dates.isEmpty else { throw NoDates() }
                return dates
            }.value) ?? [:]
        }
    }
}
