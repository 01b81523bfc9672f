import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 connection with a ``RequestHeadGuard`` in front of its parser: the guard
/// sees the raw bytes first, so a long request line gets `414` and a long head `431` (the
/// parser's own limits, set a little above, stay as a second fence). Behind the parser,
/// ``HTTP10ConnectionClose`` closes an HTTP/1.0 connection after its response. Next to the socket,
/// ``SocketDrain`` tells a file's streaming when its chunks have left.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limits: RequestLimits

    init(responder: @escaping HTTPChannelHandler.Responder, limits: RequestLimits) {
        let fence = 2 * limits.head
        let configuration = HTTP1Channel.Configuration(
            idleTimeout: limits.idleTimeout,
            httpDecoderConfiguration: .init(maxHeaderFieldSize: fence, maxHeaderListSize: fence, maxHeaderFieldCount: 200))
        self.http1 = HTTP1Channel(responder: responder, configuration: configuration)
        self.limits = limits
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = self.limits, http1 = self.http1
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(limits: limits), position: .first)
            try channel.pipeline.syncOperations.addHandler(SocketDrain(), position: .first)
        }.flatMap { http1.setup(channel: channel, logger: logger) }.flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(HTTP10ConnectionClose(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 behind a ``RequestHeadGuard``.
    static func guardedHTTP1(limits: RequestLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in GuardedHTTP1Channel(responder: responder, limits: limits) }
    }
}
