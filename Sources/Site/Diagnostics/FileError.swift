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
            default: reason = ns.localizedDescription
            }
        } else {
            reason = "\(error)"
        }
        if let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path {
            reason = "\(SiteBuilder.displayPath(URL(fileURLWithPath: path))): \(reason)"
        }
        return oneLine(reason)
    }

    /// Newlines and runs of blanks collapsed to one space.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " }).joined(separator: " ")
    }
}
