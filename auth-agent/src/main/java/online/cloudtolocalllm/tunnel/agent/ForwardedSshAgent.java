package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's forwarded agent as Apache MINA SSHD's {@link SshAgent}, so that server code logs in to other SSH
 * servers with the user's keys (the jump-host case) while the keys stay on the user's machine:
 * <pre>{@code
 * ForwardedAgent agent = tunnelServer.forwardedAgent("alice").orElseThrow();
 * sshClient.setAgentFactory(ForwardedSshAgent.factory(agent));
 * }</pre>
 * One conversation (agent channel) is opened on first use and reused; the server's guard still applies, so adding
 * or removing keys fails unless its policy allows them.
 */
public final class ForwardedSshAgent implements SshAgent {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardedSshAgent.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final ForwardedAgent agent;
    private final Duration timeout;
    private @Nullable AgentConnection connection;
    private boolean open = true;

    private ForwardedSshAgent(ForwardedAgent agent, Duration timeout) {
        this.agent = agent;
        this.timeout = timeout;
    }

    /** {@code agent} as an {@link SshAgent}; each request waits up to two minutes (the user may be asked to confirm). */
    public static ForwardedSshAgent of(ForwardedAgent agent) {
        return new ForwardedSshAgent(Objects.requireNonNull(agent, "agent"), DEFAULT_TIMEOUT);
    }

    /** An {@link SshAgentFactory} for an sshd client: each authentication gets its own {@link #of(ForwardedAgent)}. */
    public static SshAgentFactory factory(ForwardedAgent agent) {
        Objects.requireNonNull(agent, "agent");
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of();
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) {
                return of(agent);
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) throws IOException {
                throw new IOException("A forwarded agent cannot be forwarded on from here");
            }
        };
    }

    @Override
    public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
        byte[] answer = request(AgentMessages.requestIdentities(), "list keys");
        List<Map.Entry<PublicKey, String>> keys = new ArrayList<>();
        try {
            for (AgentMessages.Identity identity : AgentMessages.identities(answer)) {
                try {
                    keys.add(new AbstractMap.SimpleImmutableEntry<>(new ByteArrayBuffer(identity.keyBlob()).getRawPublicKey(),
                            identity.comment()));
                } catch (RuntimeException e) {
                    LOG.debug("Skipping agent key {} of a type this JVM cannot read: {}", identity.fingerprint(), e.toString());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new SshException("The agent's answer to list keys is unreadable: " + e.getMessage(), e);
        }
        return keys;
    }

    @Override
    public Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algorithm, byte[] data) throws IOException {
        String keyType = KeyUtils.getKeyType(key);
        String signatureAlgorithm = algorithm == null || algorithm.isEmpty() ? keyType : algorithm;
        int flags = switch (signatureAlgorithm) {
            case "rsa-sha2-512", "rsa-sha2-512-cert-v01@openssh.com" -> AgentMessages.RSA_SHA2_512;
            case "rsa-sha2-256", "rsa-sha2-256-cert-v01@openssh.com" -> AgentMessages.RSA_SHA2_256;
            default -> 0;
        };
        byte[] answer = request(AgentMessages.signRequest(blob(key), data, flags), "sign with " + KeyUtils.getFingerPrint(key));
        byte[] signature;
        try {
            signature = AgentMessages.signature(answer);
        } catch (IllegalArgumentException e) {
            throw new SshException("The agent's answer to sign is unreadable: " + e.getMessage(), e);
        }
        Buffer parsed = new ByteArrayBuffer(signature);
        return new AbstractMap.SimpleImmutableEntry<>(parsed.getString(), parsed.getBytes());
    }

    @Override
    public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) throws IOException {
        Buffer message = new ByteArrayBuffer();
        message.putByte((byte) (constraints.length == 0 ? AgentMessages.ADD_IDENTITY : AgentMessages.ADD_ID_CONSTRAINED));
        message.putKeyPair(key);
        message.putString(comment);
        for (SshAgentKeyConstraint constraint : constraints) {
            constraint.put(message);
        }
        request(message.getCompactData(), "add a key");
    }

    @Override
    public void removeIdentity(PublicKey key) throws IOException {
        request(AgentMessages.removeIdentity(blob(key)), "remove a key");
    }

    @Override
    public void removeAllIdentities() throws IOException {
        request(new byte[] {AgentMessages.REMOVE_ALL_IDENTITIES}, "remove all keys");
    }

    private static byte[] blob(PublicKey key) {
        Buffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return buffer.getCompactData();
    }

    /** Sends {@code message}; an answer that is a failure becomes an IOException carrying AGENT_REFUSED. */
    private synchronized byte[] request(byte[] message, String what) throws IOException {
        if (!open) {
            throw new SshException("The forwarded agent of '" + agent.user() + "' is closed");
        }
        try {
            if (connection == null || connection.closeFuture().isDone()) {
                connection = agent.connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            byte[] answer = connection.request(message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!AgentMessages.succeeded(answer)) {
                TunnelException refused = AgentFailures.refused("The forwarded agent of '" + agent.user() + "' refused to " + what);
                throw new SshException(refused.getMessage(), refused);
            }
            return answer;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SshException("The forwarded agent of '" + agent.user() + "' could not " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new SshException("The forwarded agent of '" + agent.user() + "' did not " + what + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted waiting for the forwarded agent to " + what);
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public String toString() {
        return "ForwardedSshAgent[" + agent.user() + "]";
    }
}
