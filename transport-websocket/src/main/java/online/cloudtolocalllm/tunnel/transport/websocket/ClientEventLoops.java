package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.channel.EventLoopGroup;

/**
 * The event loops every client connection of this JVM shares: one thread per core, daemon threads, so a process
 * with a thousand tunnel clients still runs a handful of I/O threads.
 */
final class ClientEventLoops {
    private static final EventLoopGroup GROUP = NettyIo.group(Runtime.getRuntime().availableProcessors(), "tunnel-client-io");

    private ClientEventLoops() {
    }

    static EventLoopGroup group() {
        return GROUP;
    }
}
