package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/**
 * The per-user agent sockets: {@code DIR/<user>.sock} exists while at least one of the user's sessions forwards an
 * agent, and leads to the latest of them. Characters outside {@code [A-Za-z0-9._@-]} in a user name are written
 * {@code %XX}, so that every user gets a distinct, safe file name.
 */
final class AgentSocketDirectory implements AutoCloseable {
    private final Path dir;
    private final Map<String, List<GuardedAgent>> agents = new HashMap<>();
    private final Map<String, AgentSocketServer> sockets = new HashMap<>();

    AgentSocketDirectory(Path dir) {
        this.dir = dir;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot create the agent socket directory " + dir + ": " + e, e);
        }
    }

    /** The socket of {@code user}. */
    Path socketOf(String user) {
        StringBuilder name = new StringBuilder();
        for (byte b : user.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '@') && !(name.isEmpty() && c == '.')) {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return dir.resolve(name + ".sock");
    }

    synchronized void add(GuardedAgent agent) {
        String user = agent.user();
        agents.computeIfAbsent(user, u -> new ArrayList<>()).add(agent);
        if (!sockets.containsKey(user)) {
            sockets.put(user, AgentSocketServer.open(socketOf(user), user, () -> latest(user)));
        }
    }

    synchronized void remove(GuardedAgent agent) {
        String user = agent.user();
        List<GuardedAgent> forwarding = agents.get(user);
        if (forwarding == null || !forwarding.remove(agent)) {
            return;
        }
        if (forwarding.isEmpty()) {
            agents.remove(user);
            AgentSocketServer socket = sockets.remove(user);
            if (socket != null) {
                socket.close();
            }
        }
    }

    private synchronized @Nullable GuardedAgent latest(String user) {
        List<GuardedAgent> forwarding = agents.get(user);
        return forwarding == null || forwarding.isEmpty() ? null : forwarding.getLast();
    }

    @Override
    public synchronized void close() {
        sockets.values().forEach(AgentSocketServer::close);
        sockets.clear();
        agents.clear();
    }
}
