import NIOCore
import NIOHTTP1

/// HTTP/1.0 ends the connection after each response unless the request asks to keep it
/// (`Connection: keep-alive`, RFC 9112 §9.3). Hummingbird closes only on `Connection: close`, so a
/// 1.0 client that reads to the end of the stream waited for the idle timeout. Placed between
/// NIO's request decoder (which still knows the version) and Hummingbird's codec, this handler
/// writes what 1.0 implies into the request's head.
final class HTTP10ConnectionClose: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case var .head(head) = unwrapInboundIn(data), head.version == .http1_0,
              !head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "keep-alive" }) else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
