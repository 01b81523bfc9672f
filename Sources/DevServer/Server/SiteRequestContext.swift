import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the connection, for the file streaming's ``SocketDrain``.
struct SiteRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
