import Foundation

/// What each whole-site value a `serve` session keeps depends on: the one place that decides
/// which change invalidates which kept value. A rebuild asks for the key of a value's inputs and
/// reuses the kept value when the key is the one it was made with (``BuildSession/memo(_:key:_:)``);
/// without a session every value is made anew.
///
/// | kept value                         | made again when                                            |
/// |------------------------------------|------------------------------------------------------------|
/// | the compiled sources' indexes      | never: made once per process, on first use (``SiteBuilder/CompiledCode``) |
/// | the provenance check (passed)      | a file of the checked source folders is added, removed or touched |
/// | catalog prose, gradient checks     | a byte of `content/<lang>/reference/` changes, or the macros, binary |
/// | cited data                         | a byte of `content/data/*.yaml` changes                    |
/// | a note's front matter              | a byte of the note changes                                 |
/// | a reference page's mentions filled | the page's inputs or the notes that mention it change      |
/// | a page in the theme                | the page's typeset HTML or its typed context changes (``SiteAssembler``) |
///
/// Content is keyed by its bytes (small files an author edits); the large source folders the
/// provenance check reads are keyed by each file's size, modification time and inode, as the
/// watcher that starts a rebuild sees them.
enum SessionInputs {
    /// A hash of the names and bytes of the files directly in `folder` (sorted), with a marker
    /// for a missing folder.
    static func contents(of folder: URL, suffixes: [String] = []) -> String {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return "missing \(folder.path)" }
        var bytes: [UInt8] = Array(folder.path.utf8)
        for name in names.sorted() where suffixes.isEmpty || suffixes.contains(where: name.hasSuffix) {
            bytes += Array("\u{1}\(name)\u{2}".utf8)
            bytes += fm.contents(atPath: folder.appendingPathComponent(name).path).map(Array.init) ?? Array("unreadable".utf8)
        }
        return fnv1a64Hex(bytes)
    }

    /// Every file under `folders` (recursively) with its size, modification time and inode.
    static func stamps(of folders: [URL]) -> String {
        var text = ""
        for folder in folders {
            text += "folder \(folder.path)\n"
            guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let path as String in enumerator {
                var info = stat()
                guard stat(folder.appendingPathComponent(path).path, &info) == 0 else { continue }
                text += "\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)\n"
            }
        }
        return fnv1a64Hex(Array(text.utf8))
    }
}

extension Optional where Wrapped == BuildSession {
    /// `make()`, kept by the session (when there is one) under `name` until `key()` changes; the
    /// key is not computed without a session, nor when no later build can ask for the value
    /// (``BuildSession/mayAskAgain(_:)``: a note's front matter key hashes the whole note).
    func memo<T>(_ name: String, key: () -> String, _ make: () throws -> T) rethrows -> T {
        guard let session = self, session.mayAskAgain(name) else { return try make() }
        return try session.memo(name, key: key(), make)
    }
}
