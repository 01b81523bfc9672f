import Foundation

/// Fresh places under the system's temporary folder for a test to write in, each
/// `lossbook-<name>-<UUID>`, and their removal: the one way the test targets make them.
///
///     let folder = try TemporaryFolder.make("theme")
///     defer { TemporaryFolder.remove(folder) }
public enum TemporaryFolder {
    /// A fresh path, nothing made there: for a tree copied to it, a file written at it, or a
    /// folder the code under test must make itself.
    public static func path(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("lossbook-\(name)-\(UUID().uuidString)")
    }

    /// A fresh, empty folder.
    public static func make(_ name: String) throws -> URL {
        let folder = path(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Removes what a test made at a temporary path (a folder and all it holds, or a file), if
    /// anything is there; never fails, so that it can close a `defer`.
    public static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
