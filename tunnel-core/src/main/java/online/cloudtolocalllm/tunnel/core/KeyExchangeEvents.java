package online.cloudtolocalllm.tunnel.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import online.cloudtolocalllm.tunnel.api.SessionCrypto;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.jspecify.annotations.Nullable;

/**
 * Reports each completed key exchange of a session (the first and every rekey) with the algorithms it chose, and
 * explains a failed negotiation by both sides' offers.
 */
final class KeyExchangeEvents implements SessionListener {
    /** The session's algorithms as of its latest key exchange. */
    static final AttributeKey<SessionCrypto> CRYPTO = new AttributeKey<>();

    /** Where the reports go. */
    interface Sink {
        void exchanged(Session session, SessionCrypto crypto);

        void failed(Session session, String why);
    }

    private final Sink sink;

    KeyExchangeEvents(Sink sink) {
        this.sink = sink;
    }

    /** The algorithms {@code session} negotiated last, if it finished a key exchange. */
    static @Nullable SessionCrypto of(Session session) {
        return session.getAttribute(CRYPTO);
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event != Event.KeyEstablished) {
            return;
        }
        SessionCrypto previous = session.getAttribute(CRYPTO);
        String c2s = session.getNegotiatedKexParameter(KexProposalOption.C2SENC);
        String s2c = session.getNegotiatedKexParameter(KexProposalOption.S2CENC);
        BuiltinCiphers cipher = BuiltinCiphers.fromFactoryName(c2s);
        String mac = cipher != null && cipher.getAuthenticationTagSize() > 0 ? "implicit"
                : session.getNegotiatedKexParameter(KexProposalOption.C2SMAC);
        SessionCrypto now = new SessionCrypto(session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS),
                session.getNegotiatedKexParameter(KexProposalOption.SERVERKEYS), c2s.equals(s2c) ? c2s : c2s + "/" + s2c,
                mac, previous == null ? 1 : previous.keyExchanges() + 1);
        session.setAttribute(CRYPTO, now);
        sink.exchanged(session, now);
    }

    @Override
    public void sessionNegotiationEnd(Session session, Map<KexProposalOption, String> clientProposal,
            Map<KexProposalOption, String> serverProposal, Map<KexProposalOption, String> negotiatedOptions,
            @Nullable Throwable reason) {
        if (reason != null) {
            sink.failed(session, explain(clientProposal, serverProposal, reason));
        }
    }

    /** Names the first algorithm kind both sides offer nothing in common for, with both offers. */
    static String explain(Map<KexProposalOption, String> client, Map<KexProposalOption, String> server, Throwable reason) {
        for (KexProposalOption option : KexProposalOption.VALUES) {
            List<String> offered = names(client.get(option));
            List<String> accepted = names(server.get(option));
            if (!offered.isEmpty() && offered.stream().noneMatch(accepted::contains)) {
                return "SSH negotiation failed, no common " + option.getDescription() + ": the client offers "
                        + String.join(",", offered) + "; the server offers " + String.join(",", accepted);
            }
        }
        return "SSH negotiation failed: " + reason.getMessage();
    }

    /** The algorithm names of a proposal, without the pseudo-algorithms that only signal extensions. */
    private static List<String> names(@Nullable String proposal) {
        return proposal == null || proposal.isEmpty() ? List.of() : Arrays.stream(proposal.split(","))
                .filter(name -> !name.startsWith("ext-info-") && !name.startsWith("kex-strict-"))
                .toList();
    }
}
