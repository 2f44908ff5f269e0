package online.cloudtolocalllm.tunnel.agent;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's forwarded agent as a Unix socket, {@code DIR/<user>.sock}, readable and writable by its owner only, so
 * that server-side tools use it as {@code SSH_AUTH_SOCK}. Each connection to it is one conversation with the
 * user's latest forwarded agent, behind the server's guard; who connected is taken from the socket's peer
 * credentials for the audit.
 */
final class AgentSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSocketServer.class);
    /** How long one request may wait for the user's agent (a confirmation prompt on the user's side included). */
    private static final long ANSWER_TIMEOUT_SECONDS = 120;

    private final Path socket;
    private final String user;
    private final ServerSocketChannel server;
    private final Supplier<@Nullable GuardedAgent> agent;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private AgentSocketServer(Path socket, String user, ServerSocketChannel server, Supplier<@Nullable GuardedAgent> agent) {
        this.socket = socket;
        this.user = user;
        this.server = server;
        this.agent = agent;
    }

    /**
     * Binds {@code socket} for {@code user}'s agent. It is bound in a private staging directory, made owner-only,
     * then moved into place, so no other user can ever connect to it.
     */
    static AgentSocketServer open(Path socket, String user, Supplier<@Nullable GuardedAgent> agent) {
        Path dir = socket.toAbsolutePath().getParent();
        Path staging = null;
        ServerSocketChannel server = null;
        try {
            staging = Files.createTempDirectory(dir, ".agent-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path bound = staging.resolve("s");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AgentSocketServer started = new AgentSocketServer(socket, user, server, agent);
            Thread.ofPlatform().daemon().name("agent-socket-" + socket.getFileName()).start(started::acceptLoop);
            LOG.info("Agent of '{}' available at {}", user, socket);
            return started;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // reporting the bind failure
                }
            }
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot create the agent socket " + socket + ": " + e, e);
        } finally {
            if (staging != null) {
                try {
                    Files.deleteIfExists(staging.resolve("s"));
                    Files.deleteIfExists(staging);
                } catch (IOException ignored) {
                    // a leftover empty staging directory is harmless
                }
            }
        }
    }

    Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                Thread.ofVirtual().name("agent-socket-client").start(() -> serve(client));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Agent socket {} stopped accepting: {}", socket, e.toString());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        String peer = peer(client);
        AgentConnection connection = null;
        try (client) {
            GuardedAgent target = agent.get();
            if (target == null) {
                return;
            }
            connection = target.connect(peer).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            connection.closeFuture().whenComplete((done, failure) -> closeQuietly(client));
            while (!closed) {
                byte[] request = AgentFraming.read(client);
                byte[] answer = connection.request(request).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                AgentFraming.write(client, answer);
            }
        } catch (EOFException | ClosedChannelException e) {
            // the tool is done, or the conversation was closed
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.info("Agent conversation of {} with '{}' ended: {}", peer, user, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client);
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Who is on the other end: the OS user of the connecting process, from the socket's peer credentials. */
    private String peer(SocketChannel client) {
        try {
            UnixDomainPrincipal principal = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return "local user " + principal.user().getName() + " via " + socket.getFileName();
        } catch (IOException | UnsupportedOperationException e) {
            return "local process via " + socket.getFileName();
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Stops listening, removes the socket and ends every conversation through it. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // removing the file below is what matters
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("Cannot remove the agent socket {}: {}", socket, e.toString());
        }
        clients.forEach(AgentSocketServer::closeQuietly);
        LOG.info("Agent socket of '{}' removed: {}", user, socket);
    }
}
