package online.cloudtolocalllm.tunnel.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of a {@link TunnelServer}. Build it with {@link #builder()}.
 *
 * <p>Without a listen address the server is embedded: a host such as the Jakarta WebSocket adapter hands it
 * connections. With one, a server host (the {@code tunnel-server} artifact) listens on that single port.
 */
public final class TunnelServerConfig {
    /** The largest WebSocket frame accepted by default: 1 MiB (close code 1009 above it). */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;

    private final @Nullable InetSocketAddress listen;
    private final Path dataDir;
    private final @Nullable String jwtSecret;
    private final @Nullable URI jwksUrl;
    private final @Nullable String jwtIssuer;
    private final @Nullable String jwtAudience;
    private final @Nullable Path authorizedKeys;
    private final Set<String> publicServices;
    private final Map<String, InetSocketAddress> tcpListeners;
    private final List<String> forwardAllow;
    private final Duration keepAliveInterval;
    private final Duration keepAliveTimeout;
    private final Duration handshakeTimeout;
    private final Duration shutdownTimeout;
    private final int maxFrameSize;
    private final int maxServicesPerSession;
    private final boolean agentForwardingAllowed;
    private final PoolSettings ingressPool;
    private final Duration ingressReconnectWait;
    private final Clock clock;
    private final CryptoOptions crypto;
    private final @Nullable HostKeyRotation hostKeyRotation;
    private final @Nullable Path hostCertificate;
    private final @Nullable TlsSettings tls;
    private final List<TunnelListener> listeners;
    private final Components components;

    private TunnelServerConfig(Builder b) {
        this.listen = b.listen;
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir is required: the host key is kept there");
        this.jwtSecret = b.jwtSecret;
        this.jwksUrl = b.jwksUrl;
        this.jwtIssuer = b.jwtIssuer;
        this.jwtAudience = b.jwtAudience;
        this.authorizedKeys = b.authorizedKeys;
        this.publicServices = Set.copyOf(b.publicServices);
        this.tcpListeners = Map.copyOf(b.tcpListeners);
        this.forwardAllow = List.copyOf(b.forwardAllow);
        this.keepAliveInterval = b.keepAliveInterval;
        this.keepAliveTimeout = b.keepAliveTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.maxFrameSize = b.maxFrameSize;
        this.maxServicesPerSession = b.maxServicesPerSession;
        this.agentForwardingAllowed = b.agentForwardingAllowed;
        this.ingressPool = b.ingressPool;
        this.ingressReconnectWait = b.ingressReconnectWait;
        this.clock = b.clock;
        this.crypto = b.crypto;
        this.hostKeyRotation = b.hostKeyRotation;
        this.hostCertificate = b.hostCertificate;
        this.tls = b.tls;
        this.listeners = List.copyOf(b.listeners);
        this.components = b.components;
        if (jwtSecret != null && jwksUrl != null) {
            throw new IllegalArgumentException("Give either a JWT secret or a JWKS URL, not both");
        }
        if (hostKeyRotation != null && crypto.key().isPresent()) {
            throw new IllegalArgumentException("Host-key rotation cannot rotate a key held in a token (" + crypto.key().get()
                    + "): rotate it in the token and restart, or let the server keep its host key in dataDir");
        }
        if (hostKeyRotation != null && hostCertificate != null) {
            throw new IllegalArgumentException("A host certificate certifies one key, so host-key rotation cannot be "
                    + "combined with it: have the CA sign each new key and restart with its certificate");
        }
        if (tls != null && listen == null) {
            throw new IllegalArgumentException("TLS settings need a listen address: an embedded server's host terminates TLS");
        }
        if (keepAliveTimeout.compareTo(keepAliveInterval) <= 0) {
            throw new IllegalArgumentException("keepAliveTimeout " + keepAliveTimeout
                    + " must be longer than keepAliveInterval " + keepAliveInterval);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The address the server host listens on; absent for an embedded server. */
    public Optional<InetSocketAddress> listen() {
        return Optional.ofNullable(listen);
    }

    /** Where the server keeps its host key and other state. */
    public Path dataDir() {
        return dataDir;
    }

    /** The HS256 secret that signs tokens. */
    public Optional<String> jwtSecret() {
        return Optional.ofNullable(jwtSecret);
    }

    /** The JWKS URL with the RS256/ES256 keys that sign tokens. */
    public Optional<URI> jwksUrl() {
        return Optional.ofNullable(jwksUrl);
    }

    /** The issuer ({@code iss}) a token must carry, if set. */
    public Optional<String> jwtIssuer() {
        return Optional.ofNullable(jwtIssuer);
    }

    /** The audience ({@code aud}) a token must carry, if set. */
    public Optional<String> jwtAudience() {
        return Optional.ofNullable(jwtAudience);
    }

    /** An OpenSSH authorized_keys file; each key's comment names the user it logs in. */
    public Optional<Path> authorizedKeys() {
        return Optional.ofNullable(authorizedKeys);
    }

    /** Services reachable at ingress without a token, as {@code user/service}. */
    public Set<String> publicServices() {
        return publicServices;
    }

    /** Whether {@code user/service} is public. */
    public boolean isPublic(String user, String service) {
        return publicServices.contains(user + "/" + service);
    }

    /** Extra TCP listeners, {@code user/service} to the address that forwards raw TCP to that service. */
    public Map<String, InetSocketAddress> tcpListeners() {
        return tcpListeners;
    }

    /** Targets clients may open forward streams to, as {@code host:port} patterns ({@code *} matches any). */
    public List<String> forwardAllow() {
        return forwardAllow;
    }

    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /** How long a connection may stay silent before it is closed as dead. */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /** How long a new connection has to complete its upgrade and SSH login. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long a graceful shutdown waits for open streams. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public int maxServicesPerSession() {
        return maxServicesPerSession;
    }

    /**
     * Whether clients may forward their SSH agents (off by default). What passes through a forwarded agent, what is
     * audited and where it is exposed is decided by the {@code auth-agent} artifact's gateway.
     */
    public boolean agentForwardingAllowed() {
        return agentForwardingAllowed;
    }

    /**
     * The pools of connections through tunnels that ingress keeps per user and service, so bursts of requests reuse
     * SSH channels and local keep-alive connections instead of opening new ones.
     */
    public PoolSettings ingressPool() {
        return ingressPool;
    }

    /**
     * How long an ingress request waits for a service that went away with its session in the last minute (its client
     * is reconnecting) before it is answered 503 with TUNNEL_004 and Retry-After; zero answers 404 at once as for a
     * service never seen. An idempotent request whose stream died before any response byte is replayed once within
     * the same wait. Default 5 s.
     */
    public Duration ingressReconnectWait() {
        return ingressReconnectWait;
    }

    /** The clock tokens are checked against. */
    public Clock clock() {
        return clock;
    }

    /** The SSH crypto policy: cipher-suite profile, algorithm lists, rekey limits, a host key in a token. */
    public CryptoOptions crypto() {
        return crypto;
    }

    /** How the host key rotates; absent (the default) keeps one key for good. */
    public Optional<HostKeyRotation> hostKeyRotation() {
        return Optional.ofNullable(hostKeyRotation);
    }

    /** The OpenSSH certificate of the host key, presented to clients that offer certificate algorithms; absent by default. */
    public Optional<Path> hostCertificate() {
        return Optional.ofNullable(hostCertificate);
    }

    /** TLS on the server's port; absent means plaintext only. */
    public Optional<TlsSettings> tls() {
        return Optional.ofNullable(tls);
    }

    public List<TunnelListener> listeners() {
        return listeners;
    }

    public Components components() {
        return components;
    }

    @Override
    public String toString() {
        return "TunnelServerConfig[listen=" + listen + ", dataDir=" + dataDir + ", jwt="
                + (jwtSecret != null ? "HS256" : jwksUrl != null ? jwksUrl : "none") + ", authorizedKeys=" + authorizedKeys
                + ", public=" + publicServices + ", forwardAllow=" + forwardAllow
                + (agentForwardingAllowed ? ", agentForwarding=allowed" : "")
                + (hostKeyRotation != null ? ", hostKeyRotation=" + hostKeyRotation : "")
                + (hostCertificate != null ? ", hostCertificate=" + hostCertificate : "") + (tls != null ? ", tls=" + tls : "") + "]";
    }

    /** Builds a {@link TunnelServerConfig}; each setter checks its value at once. */
    public static final class Builder {
        private @Nullable InetSocketAddress listen;
        private @Nullable Path dataDir;
        private @Nullable String jwtSecret;
        private @Nullable URI jwksUrl;
        private @Nullable String jwtIssuer;
        private @Nullable String jwtAudience;
        private @Nullable Path authorizedKeys;
        private final Set<String> publicServices = new LinkedHashSet<>();
        private final Map<String, InetSocketAddress> tcpListeners = new LinkedHashMap<>();
        private final List<String> forwardAllow = new ArrayList<>();
        private Duration keepAliveInterval = Duration.ofSeconds(5);
        private Duration keepAliveTimeout = Duration.ofSeconds(15);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int maxServicesPerSession = 64;
        private boolean agentForwardingAllowed;
        private PoolSettings ingressPool = PoolSettings.DEFAULT;
        private Duration ingressReconnectWait = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private CryptoOptions crypto = CryptoOptions.defaults();
        private @Nullable HostKeyRotation hostKeyRotation;
        private @Nullable Path hostCertificate;
        private @Nullable TlsSettings tls;
        private final List<TunnelListener> listeners = new ArrayList<>();
        private Components components = Components.NONE;

        private Builder() {
        }

        /** Listen on this address (port 0 picks a free port). */
        public Builder listen(InetSocketAddress listen) {
            this.listen = Objects.requireNonNull(listen, "listen");
            return this;
        }

        /** Listen on {@code host:port}. */
        public Builder listen(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
            return listen(new InetSocketAddress(host, port));
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder jwtSecret(String secret) {
            if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
                throw new IllegalArgumentException("The JWT secret must be at least 32 bytes for HS256");
            }
            this.jwtSecret = secret;
            return this;
        }

        public Builder jwksUrl(URI jwksUrl) {
            this.jwksUrl = Objects.requireNonNull(jwksUrl, "jwksUrl");
            return this;
        }

        public Builder jwtIssuer(String issuer) {
            this.jwtIssuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        public Builder jwtAudience(String audience) {
            this.jwtAudience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        public Builder authorizedKeys(Path authorizedKeys) {
            this.authorizedKeys = Objects.requireNonNull(authorizedKeys, "authorizedKeys");
            return this;
        }

        /** Makes {@code user/service} reachable at ingress without a token. */
        public Builder publicService(String user, String service) {
            publicServices.add(user + "/" + ExposedService.requireValidName(service));
            return this;
        }

        /** Also forwards raw TCP connections on {@code address} to {@code user}'s {@code service}. */
        public Builder tcpListener(String user, String service, InetSocketAddress address) {
            tcpListeners.put(user + "/" + ExposedService.requireValidName(service), Objects.requireNonNull(address));
            return this;
        }

        /** Allows forward streams to targets matching {@code host:port}; {@code *} matches any host or port. */
        public Builder forwardAllow(String pattern) {
            int colon = pattern.lastIndexOf(':');
            if (colon <= 0 || colon == pattern.length() - 1) {
                throw new IllegalArgumentException("Expected host:port (either may be *), got '" + pattern + "'");
            }
            String port = pattern.substring(colon + 1);
            if (!port.equals("*") && !port.matches("\\d{1,5}")) {
                throw new IllegalArgumentException("Bad port in forward pattern '" + pattern + "'");
            }
            forwardAllow.add(pattern);
            return this;
        }

        public Builder keepAlive(Duration interval, Duration timeout) {
            this.keepAliveInterval = Durations.positive("keepAlive interval", interval);
            this.keepAliveTimeout = Durations.positive("keepAlive timeout", timeout);
            return this;
        }

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = Durations.positive("handshakeTimeout", handshakeTimeout);
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Durations.nonNegative("shutdownTimeout", shutdownTimeout);
            return this;
        }

        public Builder maxFrameSize(int maxFrameSize) {
            if (maxFrameSize < 64 * 1024 || maxFrameSize > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxFrameSize must be 64 KiB to 16 MiB (SSH packets need 35 KB), was " + maxFrameSize);
            }
            this.maxFrameSize = maxFrameSize;
            return this;
        }

        public Builder maxServicesPerSession(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxServicesPerSession must be positive, was " + max);
            }
            this.maxServicesPerSession = max;
            return this;
        }

        /** Lets clients forward their SSH agents (needs the {@code auth-agent} artifact). Off by default. */
        public Builder allowAgentForwarding(boolean allowed) {
            this.agentForwardingAllowed = allowed;
            return this;
        }

        public Builder ingressPool(PoolSettings ingressPool) {
            this.ingressPool = Objects.requireNonNull(ingressPool, "ingressPool");
            return this;
        }

        /** See {@link TunnelServerConfig#ingressReconnectWait()}. */
        public Builder ingressReconnectWait(Duration wait) {
            this.ingressReconnectWait = Durations.nonNegative("ingressReconnectWait", wait);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The SSH crypto policy; {@link CryptoOptions#defaults()} unless set. */
        public Builder crypto(CryptoOptions crypto) {
            this.crypto = Objects.requireNonNull(crypto, "crypto");
            return this;
        }

        /**
         * Rotates the host key kept in {@link #dataDir(Path)}: every {@code interval} a new key is announced to
         * clients, and presented {@code overlap} later (see {@link HostKeyRotation}). A key in a token is not rotated.
         */
        public Builder hostKeyRotation(Duration interval, Duration overlap) {
            this.hostKeyRotation = new HostKeyRotation(interval, overlap);
            return this;
        }

        /**
         * Presents the host key with this OpenSSH host certificate ({@code ssh-keygen -s ca -h -n host key.pub} makes
         * {@code key-cert.pub}), so that clients trusting the CA ({@code @cert-authority} in known_hosts) accept the
         * server without knowing its key. The certificate must certify the server's host key; the server checks at start.
         */
        public Builder hostCertificate(Path hostCertificate) {
            this.hostCertificate = Objects.requireNonNull(hostCertificate, "hostCertificate");
            return this;
        }

        /** Turns on TLS on the server's port (needs a listen address: the server host terminates it). */
        public Builder tls(TlsSettings tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        public Builder listener(TunnelListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Supplies the instance to use for an extension point (an Authenticator, say), bypassing discovery. */
        public <T> Builder component(Class<T> type, T instance) {
            components = components.with(type, instance);
            return this;
        }

        public TunnelServerConfig build() {
            return new TunnelServerConfig(this);
        }
    }
}
