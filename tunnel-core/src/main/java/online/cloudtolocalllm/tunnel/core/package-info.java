/**
 * The engine. SSH runs directly on a transport's frames: {@link online.cloudtolocalllm.tunnel.core.FrameIoSession}
 * is Apache MINA SSHD's {@code IoSession} over a {@link online.cloudtolocalllm.tunnel.spi.FrameConnection}, made by
 * {@link online.cloudtolocalllm.tunnel.core.FrameIoConnector} (client) and
 * {@link online.cloudtolocalllm.tunnel.core.FrameIoAcceptor} (server).
 */
@NullMarked
package online.cloudtolocalllm.tunnel.core;

import org.jspecify.annotations.NullMarked;
