package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.future.KeyExchangeFuture;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real sshd server and client both start a key re-exchange at once, with the server's started on a thread of its
 * own (as a write crossing the rekey limit does) and held back so that the client's KEXINIT arrives first: the
 * session survives, and keeps exchanging keys.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RekeySafeSessionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough, on loopback, for the client's KEXINIT to arrive and then for its first exchange packet. */
    private static final long HOLD_MILLIS = 300;

    private final CountDownLatch serverProposing = new CountDownLatch(1);
    private volatile Thread slowInitiator;
    private SshServer server;
    private SshClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.stop(true);
        }
    }

    @Test
    void anExchangeBothEndsStartAtOnceLeavesTheSessionWorking() throws Exception {
        ClientSession session = connect();
        ServerSession serverSide = (ServerSession) server.getActiveSessions().getFirst();

        CompletableFuture<KeyExchangeFuture> serverExchange = new CompletableFuture<>();
        Thread initiator = Thread.ofPlatform().name("server-rekey").unstarted(() -> {
            try {
                serverExchange.complete(serverSide.reExchangeKeys());
            } catch (Exception e) {
                serverExchange.completeExceptionally(e);
            }
        });
        slowInitiator = initiator;
        initiator.start();
        assertThat(serverProposing.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // the server is in its exchange but has not sent its KEXINIT: the client's arrives first
        KeyExchangeFuture clientExchange = session.reExchangeKeys();

        assertThat(clientExchange.verify(WAIT).isDone()).isTrue();
        assertThat(serverExchange.get(WAIT.toSeconds(), TimeUnit.SECONDS).verify(WAIT).isDone()).isTrue();
        slowInitiator = null;
        assertThat(session.reExchangeKeys().verify(WAIT).isDone()).isTrue();
        assertThat(session.isOpen()).isTrue();
        assertThat(serverSide.isOpen()).isTrue();
    }

    @Test
    void theTunnelServerMakesTheseSessions() {
        assertThat(new TunnelSshServer(new TrafficCounters(null)).createSessionFactory()).isInstanceOf(RekeySafeSessions.class);
    }

    private ClientSession connect() throws Exception {
        server = SshServer.setUpDefaultServer();
        server.setSessionFactory(new SessionFactory(server) {
            @Override
            protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
                return new HeldBackSession(getServer(), ioSession);
            }
        });
        server.setHost("127.0.0.1");
        server.setKeyPairProvider(KeyPairProvider.wrap(KeyFiles.generateEd25519()));
        server.setPasswordAuthenticator((user, password, s) -> true);
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionNegotiationStart(Session session, Map<KexProposalOption, String> clientProposal,
                    Map<KexProposalOption, String> serverProposal) {
                if (Thread.currentThread() == slowInitiator) {
                    hold(); // the negotiated exchange does not exist yet while the client's first packet arrives
                }
            }
        });
        server.start();

        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        ClientSession session = client.connect("alice", "127.0.0.1", server.getPort()).verify(WAIT).getSession();
        session.addPasswordIdentity("secret");
        session.auth().verify(WAIT);
        return session;
    }

    /** A guarded server session whose own re-exchange, started on the slow initiator, waits before its KEXINIT. */
    private final class HeldBackSession extends RekeySafeSessions.Session {
        HeldBackSession(ServerFactoryManager server, IoSession ioSession) throws Exception {
            super(server, ioSession);
        }

        @Override
        protected Map<KexProposalOption, String> getKexProposal() throws Exception {
            if (Thread.currentThread() == slowInitiator) {
                serverProposing.countDown();
                hold(); // the client's KEXINIT arrives now, and sshd leaves the negotiation to this thread
            }
            return super.getKexProposal();
        }
    }

    private static void hold() {
        try {
            Thread.sleep(HOLD_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
