package online.cloudtolocalllm.tunnel.server;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** JSch as a foreign SSH client: password login with a token, and remote forwards. */
final class JschClients {
    private JschClients() {
    }

    /** A session of {@code user} that logs in with {@code token} as its password and trusts any host key. */
    static Session passwordSession(JSch jsch, String user, String host, int port, String token) throws JSchException {
        Session session = jsch.getSession(user, host, port);
        session.setPassword(token);
        session.setConfig("StrictHostKeyChecking", "no");
        session.setConfig("PreferredAuthentications", "password");
        return session;
    }

    /**
     * Requests a remote forward, as {@code ssh -R bind:rport:host:lport} does ({@code bind} null for plain
     * {@code -R rport:host:lport}). JSch wakes the requesting thread with an interrupt that can land after the call
     * returned, so the request runs on a thread of its own instead of the test's.
     */
    static void remoteForward(Session session, @Nullable String bind, int rport, String host, int lport) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                if (bind == null) {
                    session.setPortForwardingR(rport, host, lport);
                } else {
                    session.setPortForwardingR(bind, rport, host, lport);
                }
                done.complete(null);
            } catch (JSchException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.get(15, TimeUnit.SECONDS);
    }
}
