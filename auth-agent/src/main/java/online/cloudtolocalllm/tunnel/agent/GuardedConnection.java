package online.cloudtolocalllm.tunnel.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/**
 * A conversation behind an {@link AgentGuard}: a request the policy does not allow is answered with a failure
 * without reaching the agent, a signature may need the user's confirmation, and every operation is audited.
 */
final class GuardedConnection implements AgentConnection {
    private final AgentConnection inner;
    private final AgentGuard guard;
    private final String user;
    private final String peer;
    /** Key comments from the last listing, by fingerprint, to tell the confirmation hook which key. */
    private final Map<String, String> comments = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile Instant lastActive;

    GuardedConnection(AgentConnection inner, AgentGuard guard, String user, String peer) {
        this.inner = inner;
        this.guard = guard;
        this.user = user;
        this.peer = peer;
        this.lastActive = guard.clock().instant();
    }

    @Override
    public CompletableFuture<byte[]> request(byte[] message) {
        busy.incrementAndGet();
        lastActive = guard.clock().instant();
        AgentMessages.Request request = AgentMessages.parse(message);
        CompletableFuture<byte[]> answer;
        if (!guard.policy().allows(request.operation())) {
            record(request, AgentAuditRecord.Result.REFUSED, "not allowed by the forwarding policy (allowed: "
                    + guard.policy().allowed().stream().map(AgentOperation::shortName).sorted().toList() + ")");
            answer = CompletableFuture.completedFuture(AgentMessages.failure());
        } else if (request.operation() == AgentOperation.SIGN && guard.confirmation() != null) {
            answer = CompletableFuture.supplyAsync(() -> confirmed(request), Thread::startVirtualThread)
                    .thenCompose(yes -> {
                        if (yes) {
                            return forward(request, message);
                        }
                        record(request, AgentAuditRecord.Result.DECLINED, "the user declined the signature");
                        return CompletableFuture.completedFuture(AgentMessages.failure());
                    });
        } else {
            answer = forward(request, message);
        }
        return answer.whenComplete((done, failure) -> {
            lastActive = guard.clock().instant();
            busy.decrementAndGet();
        });
    }

    private boolean confirmed(AgentMessages.Request request) {
        SignatureConfirmation confirmation = guard.confirmation();
        byte[] key = request.keyBlob();
        if (confirmation == null || key == null) {
            return confirmation == null;
        }
        String fingerprint = AgentMessages.fingerprint(key);
        try {
            return confirmation.confirm(new SignatureConfirmation.Request(user, peer, AgentMessages.keyType(key), fingerprint,
                    comments.get(fingerprint)));
        } catch (RuntimeException e) {
            record(request, AgentAuditRecord.Result.ERROR, "the confirmation hook failed: " + e);
            return false;
        }
    }

    private CompletableFuture<byte[]> forward(AgentMessages.Request request, byte[] message) {
        return inner.request(message).whenComplete((answer, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                record(request, AgentAuditRecord.Result.ERROR, cause instanceof TunnelException tunnel ? tunnel.getMessage()
                        : String.valueOf(cause));
            } else if (!AgentMessages.succeeded(answer)) {
                record(request, AgentAuditRecord.Result.FAILED, "the agent answered with a failure");
            } else {
                record(request, AgentAuditRecord.Result.OK, detail(request, answer));
            }
        });
    }

    private String detail(AgentMessages.Request request, byte[] answer) {
        if (request.operation() == AgentOperation.LIST_IDENTITIES) {
            try {
                List<AgentMessages.Identity> identities = AgentMessages.identities(answer);
                comments.clear();
                identities.forEach(identity -> comments.put(identity.fingerprint(), identity.comment()));
                return identities.size() + " key" + (identities.size() == 1 ? "" : "s") + " "
                        + identities.stream().map(AgentMessages.Identity::fingerprint).toList();
            } catch (IllegalArgumentException e) {
                return "unreadable answer: " + e.getMessage();
            }
        }
        if (request.operation() == AgentOperation.SIGN && request.keyBlob() != null) {
            return AgentMessages.keyType(request.keyBlob()) + signFlags(request.flags());
        }
        return request.extension() == null ? "" : request.extension();
    }

    private static String signFlags(int flags) {
        if ((flags & AgentMessages.RSA_SHA2_512) != 0) {
            return " rsa-sha2-512";
        }
        return (flags & AgentMessages.RSA_SHA2_256) != 0 ? " rsa-sha2-256" : "";
    }

    private void record(AgentMessages.Request request, AgentAuditRecord.Result result, String detail) {
        String extension = request.extension();
        String more = extension != null && !detail.contains(extension) ? extension + ": " + detail : detail;
        guard.audit().record(new AgentAuditRecord(guard.clock().instant(), guard.side(), user, peer, request.operation(),
                request.fingerprint(), result, more));
    }

    /** Whether nothing is in flight and nothing happened since {@code now - idleFor}. */
    boolean idleSince(Instant cutoff) {
        return busy.get() == 0 && !lastActive.isAfter(cutoff);
    }

    String user() {
        return user;
    }

    String peer() {
        return peer;
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return inner.closeFuture();
    }

    @Override
    public String toString() {
        return "guarded " + inner + " for " + peer;
    }
}
