import NIOCore

/// How much a client may send before the server answers, and how long it may take.
///
/// A request line longer than `requestLine` bytes is answered `414`, a request head (line and
/// headers) longer than `head` bytes `431`, a request with a body `413` (the server only serves
/// files), and a head not complete `headTimeout` after its first byte (or after the connection
/// opened) `408`; then the connection is closed.
public struct RequestLimits: Sendable, Equatable {
    public var requestLine = 8 * 1024
    public var head = 16 * 1024
    public var headTimeout = TimeAmount.seconds(10)
    /// An open connection with no request in flight is closed after this long.
    public var idleTimeout = TimeAmount.seconds(30)

    public init() {}
}

/// The first handler of every connection: counts the bytes of each request head as they arrive,
/// before the HTTP parser sees them, and answers a head over the limits or too slow itself.
///
/// One pass over each byte, with a constant amount of state (no buffer of the head is kept), so
/// a hostile client costs time linear in what it sends and memory independent of it.
final class RequestHeadGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Position { case requestLine, headers }

    private let limits: RequestLimits
    private var position = Position.requestLine
    /// Bytes of the current request line, and of the whole current head.
    private var lineBytes = 0
    private var headBytes = 0
    /// Bytes of the current header line: 0 at its start, so that `CRLF CRLF` ends the head.
    private var headerLineBytes = 0
    /// The start of the current header line, lowercased, enough to recognise the body headers.
    private var headerPrefix: [UInt8] = []
    private var deadline: Scheduled<Void>?
    private var refused = false

    init(limits: RequestLimits) {
        self.limits = limits
        headerPrefix.reserveCapacity(Self.prefixLength)
    }

    private static let prefixLength = 20
    private static let contentLength = Array("content-length:".utf8)
    private static let transferEncoding = Array("transfer-encoding:".utf8)

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarmDeadline() }

    func channelInactive(context: ChannelHandlerContext) {
        disarmDeadline()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        let verdict = buffer.withUnsafeReadableBytes { scan($0, context) }
        if let status = verdict {
            refuse(context, status)
        } else {
            context.fireChannelRead(data)
        }
    }

    /// The status to answer with, or `nil` while the bytes keep within the limits.
    private func scan(_ bytes: UnsafeRawBufferPointer, _ context: ChannelHandlerContext) -> Status? {
        for byte in bytes {
            switch position {
            case .requestLine:
                if lineBytes == 0, headBytes == 0, byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                    continue // blank lines before a request are allowed (RFC 9112 §2.2)
                }
                if lineBytes == 0, headBytes == 0 { armDeadline(context) }
                lineBytes += 1
                headBytes += 1
                if lineBytes > limits.requestLine { return .uriTooLong }
                if byte == UInt8(ascii: "\n") {
                    position = .headers
                    headerLineBytes = 0
                    headerPrefix.removeAll(keepingCapacity: true)
                }
            case .headers:
                headBytes += 1
                if headBytes > limits.head { return .headersTooLarge }
                if byte == UInt8(ascii: "\n") {
                    if headerLineBytes == 0 {
                        // The head is complete; the next byte starts another request.
                        position = .requestLine
                        lineBytes = 0
                        headBytes = 0
                        disarmDeadline()
                        continue
                    }
                    if hasBody(headerPrefix) { return .bodyNotAccepted }
                    headerLineBytes = 0
                    headerPrefix.removeAll(keepingCapacity: true)
                } else if byte != UInt8(ascii: "\r") {
                    headerLineBytes += 1
                    if headerPrefix.count < Self.prefixLength, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                        headerPrefix.append(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0))
                    }
                }
            }
        }
        return nil
    }

    /// `Transfer-Encoding`, or a `Content-Length` other than 0 (blanks were dropped from the prefix).
    private func hasBody(_ prefix: [UInt8]) -> Bool {
        if prefix.starts(with: Self.transferEncoding) { return true }
        guard prefix.starts(with: Self.contentLength) else { return false }
        let value = prefix.dropFirst(Self.contentLength.count)
        return value.isEmpty || value.contains { $0 != UInt8(ascii: "0") }
    }

    enum Status {
        case uriTooLong, headersTooLarge, bodyNotAccepted, timeout

        var statusLine: String {
            switch self {
            case .uriTooLong: return "414 URI Too Long"
            case .headersTooLarge: return "431 Request Header Fields Too Large"
            case .bodyNotAccepted: return "413 Content Too Large"
            case .timeout: return "408 Request Timeout"
            }
        }
    }

    /// Answers on the socket directly (this handler is first in the pipeline) and closes.
    private func refuse(_ context: ChannelHandlerContext, _ status: Status) {
        guard !refused else { return }
        refused = true
        disarmDeadline()
        let text = "\(status.statusLine)\n"
        let response = "HTTP/1.1 \(status.statusLine)\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n\(text)"
        let buffer = context.channel.allocator.buffer(string: response)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func armDeadline(_ context: ChannelHandlerContext) {
        disarmDeadline()
        let limit = limits.headTimeout
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [weak self] in
            guard let self else { return }
            self.deadline = nil
            // Nothing received at all: close without a word (a browser's speculative connection).
            if self.headBytes == 0 {
                context.close(promise: nil)
            } else {
                self.refuse(context, .timeout)
            }
        }
    }

    private func disarmDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}
