import Foundation
import Hummingbird
import NIOCore

/// Answers every request: the live-reload events, the site's files (with the live-reload script
/// after each HTML page), and the server's own pages while there is no site to show.
struct SiteResponder: HTTPResponder {
    typealias Context = SiteRequestContext

    let files: StaticFiles
    let reload: LiveReload
    /// One line per request, only with `--verbose`.
    let log: (@Sendable (String) -> Void)?

    func respond(to request: Request, context: Context) async throws -> Response {
        let response = await answer(request, channel: context.channel)
        log?("\(request.method.rawValue) \(request.uri.path) \(response.status.code)")
        return response
    }

    private func answer(_ request: Request, channel: any Channel) async -> Response {
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"], body: ResponseBody())
        }
        let head = request.method == .head
        let path = request.uri.path
        if path == LiveReloadScript.eventsPath { return await events(head: head) }

        let (generation, generationDate, phase) = await reload.snapshot
        let shown = Shown(generation: generation, date: generationDate)
        switch files.resolve(path) {
        case .badRequest:
            return Response(status: .badRequest, body: ResponseBody())
        case .forbidden:
            return Response(status: .forbidden, body: ResponseBody())
        case let .redirect(location):
            let query = request.uri.query.map { "?\($0)" } ?? ""
            return Response(status: .movedPermanently, headers: [.location: location + query, .cacheControl: "no-cache"], body: ResponseBody())
        case let .file(url):
            if let opened = OpenedFile(url) {
                return serve(opened, type: StaticFiles.contentType(url.pathExtension), status: .ok, request: request, shown: shown, channel: channel)
            }
            return await missing(request, shown: shown, phase: phase, channel: channel)
        case .missing:
            return await missing(request, shown: shown, phase: phase, channel: channel)
        }
    }

    /// The site's `404.html` with status 404; before a site exists, the server's own page.
    private func missing(_ request: Request, shown: Shown, phase: LiveReload.Phase, channel: any Channel) async -> Response {
        let generation = shown.generation
        let head = request.method == .head
        let siteExists = FileManager.default.fileExists(atPath: files.root.path)
        switch phase {
        case .building where !siteExists:
            var response = page(StatusPage.building(generation: generation), status: .serviceUnavailable, head: head)
            response.headers[.retryAfter] = "1"
            return response
        case let .failed(errors) where !siteExists:
            return page(StatusPage.failed(errors, generation: generation), status: .internalServerError, head: head)
        default:
            break
        }
        if let opened = OpenedFile(files.notFoundPage) {
            return serve(opened, type: "text/html; charset=utf-8", status: .notFound, request: request, shown: shown, channel: channel)
        }
        return page(StatusPage.notFound(generation: generation), status: .notFound, head: head)
    }

    /// The build open pages show: its number (in the live-reload script) and when it began.
    struct Shown {
        var generation: Int
        var date: Date
    }

    /// A file, streamed; an HTML page with the live-reload script after it. `304` when the
    /// browser's copy is current, one byte range with `206` when asked for (both only for `200`:
    /// a 404 page is always sent whole).
    private func serve(_ file: OpenedFile, type: String, status: HTTPResponse.Status, request: Request, shown: Shown,
                       channel: any Channel) -> Response {
        let isPage = type.hasPrefix("text/html")
        let script = isPage ? ByteBuffer(string: LiveReloadScript.tag(generation: shown.generation)) : nil
        // A page's bytes include the script, whose generation changes with every build: its tag
        // names the generation, and it is modified when the file is or when the generation began.
        let tag = file.entityTag(salt: isPage ? "-g\(shown.generation)" : "")
        let modified = isPage ? max(file.modified, shown.date) : file.modified
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-cache", .eTag: tag,
                                   .lastModified: HTTPDate.format(modified)]

        if status == .ok, isCurrent(request, tag: tag, modified: modified) {
            file.close()
            return Response(status: .notModified, headers: headers, body: ResponseBody())
        }
        let size = file.size + (script?.readableBytes ?? 0)
        var status = status, range: Range<Int>?
        if status == .ok {
            headers[.acceptRanges] = "bytes"
            // `If-Range` names the copy the client has part of: another copy is sent whole.
            let asked = request.headers[.ifRange].map { isCurrent(ifRange: $0, tag: tag, modified: modified) } ?? true
            switch ByteRange(asked ? request.headers[.range] : nil, size: size) {
            case .whole:
                break
            case let .part(bytes):
                status = .partialContent
                range = bytes
                headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(size)"
            case .unsatisfiable:
                file.close()
                headers[.contentType] = nil
                headers[.contentRange] = "bytes */\(size)"
                headers[.contentLength] = "0"
                return Response(status: .rangeNotSatisfiable, headers: headers, body: ResponseBody())
            }
        }
        headers[.contentLength] = String(range?.count ?? size)
        if request.method == .head {
            file.close()
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        let body = file.body(suffix: script, range: range, drained: { SocketDrain.drained(channel) }, probe: files.probe)
        return Response(status: status, headers: headers, body: body)
    }

    /// Whether an `If-Range` value names the copy served now: its entity tag (strong, so never
    /// `W/…`), or exactly its `Last-Modified` date (RFC 9110 §13.1.5).
    private func isCurrent(ifRange value: String, tag: String, modified: Date) -> Bool {
        let value = value.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("\"") { return value == tag }
        guard let date = HTTPDate.parse(value) else { return false }
        return modified.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
    }

    /// `If-None-Match` decides when present (RFC 9110 §13.2.2); else `If-Modified-Since`.
    private func isCurrent(_ request: Request, tag: String, modified: Date) -> Bool {
        if let match = request.headers[.ifNoneMatch] {
            return match.split(separator: ",").contains { candidate in
                var value = candidate.trimmingCharacters(in: .whitespaces)
                if value == "*" { return true }
                if value.hasPrefix("W/") { value.removeFirst(2) }
                return value == tag
            }
        }
        if let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse) {
            return modified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
        }
        return false
    }

    private func page(_ html: String, status: HTTPResponse.Status, head: Bool) -> Response {
        let buffer = ByteBuffer(string: html)
        let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                   .contentLength: String(buffer.readableBytes)]
        return Response(status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: buffer))
    }

    /// Server-sent events until the page goes away: the state at once, then each rebuild.
    private func events(head: Bool) async -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store"]
        if head { return Response(status: .ok, headers: headers, body: ResponseBody()) }
        guard let stream = await reload.listen() else {
            return Response(status: .serviceUnavailable, headers: [.retryAfter: "5"], body: ResponseBody())
        }
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            for await event in stream {
                try await writer.write(ByteBuffer(string: event.text))
            }
            try await writer.finish(nil)
        })
    }
}
