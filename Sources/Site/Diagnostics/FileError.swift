import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Foundation's file errors (an `NSError` dump with nested user info) into the short
/// cause a user can act on: `permission denied`, `no space left on device`, `read-only file system`.
enum FileError {
    /// The cause, one line, with the path the system named if there is one.
    static func cause(_ error: Error) -> String {
        if let diagnostic = error as? Diagnostic { return diagnostic.message }
        let ns = error as NSError
        var posix: Int32?
        if ns.domain == NSPOSIXErrorDomain { posix = Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            posix = Int32(underlying.code)
        }
        var reason: String
        if let posix {
            reason = String(cString: strerror(posix)).lowercased()
        } else if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteOutOfSpace: reason = "no space left on device"
            case .fileWriteVolumeReadOnly: reason = "read-only file system"
            case .fileWriteNoPermission, .fileReadNoPermission: reason = "permission denied"
            case .fileNoSuchFile, .fileReadNoSuchFile: reason = "no such file or directory"
            case .fileWriteFileExists: reason = "file exists"
            default: reason = (ns.userInfo[NSFilePathErrorKey] as? String).flatMap(diagnose) ?? ns.localizedDescription
            }
        } else {
            reason = "\(error)"
        }
        if let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path {
            reason = "\(SiteBuilder.displayPath(URL(fileURLWithPath: path))): \(reason)"
        }
        return oneLine(reason)
    }

    /// Why `path` cannot be created, found from its nearest existing ancestor, when Foundation
    /// only says "the operation could not be completed".
    static func diagnose(_ path: String) -> String? {
        var current = (path as NSString).deletingLastPathComponent
        while !current.isEmpty, current != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "not a directory (\(SiteBuilder.displayPath(URL(fileURLWithPath: current))) is a file)" }
                var info = statvfs()
                if statvfs(current, &info) == 0, info.f_flag & UInt(ST_RDONLY) != 0 { return "read-only file system" }
                if access(current, W_OK) != 0 { return String(cString: strerror(errno)).lowercased() }
                return nil
            }
            current = (current as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// Newlines and runs of blanks collapsed to one space.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " }).joined(separator: " ")
    }
}
