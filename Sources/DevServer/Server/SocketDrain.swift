import Foundation
import Hummingbird
import NIOCore
import NIOPosix

/// Tells a file's streaming when what it has written has gone to the kernel, so that it reads the
/// next chunk only then. Hummingbird's body writer waits while the channel is not writable, but
/// it learns that on the event loop, after the writes queued before: while the loop was busy (a
/// debug build under ten fast readers), a download went on reading and queueing its file.
/// Placed first in the pipeline (next to the socket), it writes an empty buffer after everything
/// written so far; the socket completes writes in order, so that write's promise succeeds once
/// all before it have been handed to the kernel.
final class SocketDrain: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var context: ChannelHandlerContext?
    private var loop: (any EventLoop)?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context; loop = context.eventLoop }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Succeeds once every byte written to the connection before the call has gone to the kernel;
    /// fails when the connection closes first. Call it on the channel's event loop.
    func drained() -> EventLoopFuture<Void> {
        guard let context else {
            return (loop ?? MultiThreadedEventLoopGroup.singleton.any()).makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: promise)
        return promise.futureResult
    }

    /// From a task off the event loop: a future that succeeds once what was written to `channel`
    /// before the call has gone to the kernel (at once where the pipeline has no ``SocketDrain``).
    /// The request is queued on the event loop when called, after the writes queued before it.
    static func drained(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.flatSubmit {
            guard let drain = try? channel.pipeline.syncOperations.handler(type: SocketDrain.self) else {
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            return drain.drained()
        }
    }
}
