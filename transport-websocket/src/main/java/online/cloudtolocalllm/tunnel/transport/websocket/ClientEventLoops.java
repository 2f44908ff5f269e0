package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops every client connection of this JVM shares: one thread per core, daemon threads, so a process
 * with a thousand tunnel clients still runs a handful of I/O threads.
 */
final class ClientEventLoops {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("tunnel-client-io", true),
            NioIoHandler.newFactory());

    private ClientEventLoops() {
    }

    static EventLoopGroup group() {
        return GROUP;
    }
}
