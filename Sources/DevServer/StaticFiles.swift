import FlyingFox
import Foundation

/// Files of the built site over HTTP: `…/` serves `…/index.html`, a missing file the site's 404
/// page, a path with `..` is forbidden.
enum StaticFiles {
    static func response(for path: String, root: URL) -> HTTPResponse {
        let decoded = path.removingPercentEncoding ?? path
        let parts = decoded.split(separator: "/").map(String.init)
        guard !parts.contains("..") else { return HTTPResponse(statusCode: .forbidden) }
        var file = parts.reduce(root) { $0.appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file.appendPathComponent("index.html")
        }
        if let data = FileManager.default.contents(atPath: file.path) {
            return HTTPResponse(statusCode: .ok, headers: [.contentType: contentType(file.pathExtension)], body: data)
        }
        let notFound = FileManager.default.contents(atPath: root.appendingPathComponent("404.html").path) ?? Data("not found".utf8)
        return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/html; charset=utf-8"], body: notFound)
    }

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "xml": return "application/xml"
        case "json": return "application/json"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        default: return "application/octet-stream"
        }
    }
}
