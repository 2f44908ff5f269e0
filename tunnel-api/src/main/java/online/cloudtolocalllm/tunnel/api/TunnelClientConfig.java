package online.cloudtolocalllm.tunnel.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The immutable configuration of a {@link TunnelClient}. Build it with {@link #builder()}. */
public final class TunnelClientConfig {
    /** The path a client dials when the server URI names none. */
    public static final String DEFAULT_PATH = "/tunnel";

    private final URI server;
    private final @Nullable String token;
    private final @Nullable String user;
    private final List<ExposedService> services;
    private final HostKeyPolicy hostKeys;
    private final @Nullable Path identityFile;
    private final ReconnectPolicy reconnect;
    private final Duration keepAliveInterval;
    private final Duration keepAliveTimeout;
    private final Duration connectTimeout;
    private final Duration shutdownTimeout;
    private final @Nullable String transportId;
    private final boolean forwardAgent;
    private final int sessions;
    private final @Nullable String agent;
    private final boolean drainHandoff;
    private final CryptoOptions crypto;
    private final TlsTrust tlsTrust;
    private final List<TunnelListener> listeners;
    private final Components components;

    private TunnelClientConfig(Builder b) {
        this.server = withDefaultPath(Objects.requireNonNull(b.server, "server URI is required"));
        this.token = b.token;
        this.user = b.user;
        this.services = List.copyOf(b.services);
        this.hostKeys = Objects.requireNonNull(b.hostKeys, "a host key policy is required: pinned, knownHosts or trustOnFirstUse");
        this.identityFile = b.identityFile;
        this.reconnect = b.reconnect;
        this.keepAliveInterval = b.keepAliveInterval;
        this.keepAliveTimeout = b.keepAliveTimeout;
        this.connectTimeout = b.connectTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.transportId = b.transportId;
        this.forwardAgent = b.forwardAgent;
        this.sessions = b.sessions;
        this.agent = b.agent;
        this.drainHandoff = b.drainHandoff;
        this.crypto = b.crypto;
        this.tlsTrust = b.tlsTrust;
        this.listeners = List.copyOf(b.listeners);
        this.components = b.components;
        if (token == null && identityFile == null && crypto.key().isEmpty()) {
            throw new IllegalArgumentException("Either a token or an identity file (or a key in a PKCS#11 token: crypto key) is required to authenticate");
        }
        if (token == null && user == null) {
            throw new IllegalArgumentException("A user name is required when authenticating with a key only");
        }
        if (keepAliveTimeout.compareTo(keepAliveInterval) <= 0) {
            throw new IllegalArgumentException("keepAliveTimeout " + keepAliveTimeout
                    + " must be longer than keepAliveInterval " + keepAliveInterval);
        }
        if (agent != null && !forwardAgent) {
            throw new IllegalArgumentException("agent(" + agent + ") names the local agent to forward, but forwarding is off:"
                    + " turn it on with forwardAgent(true)");
        }
        if (!tlsTrust.isSystem() && !"wss".equalsIgnoreCase(server.getScheme())) {
            throw new IllegalArgumentException("TLS trust and pins apply to wss:// servers, not " + server);
        }
        long names = services.stream().map(ExposedService::name).distinct().count();
        if (names != services.size()) {
            throw new IllegalArgumentException("Service names must be unique: " + services);
        }
    }

    private static URI withDefaultPath(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Server URI needs a scheme and a host, like ws://host:8080: " + uri);
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            return URI.create(scheme + "://" + uri.getRawAuthority() + DEFAULT_PATH
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        return uri;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.server = server;
        b.token = token;
        b.user = user;
        b.services.addAll(services);
        b.hostKeys = hostKeys;
        b.identityFile = identityFile;
        b.reconnect = reconnect;
        b.keepAliveInterval = keepAliveInterval;
        b.keepAliveTimeout = keepAliveTimeout;
        b.connectTimeout = connectTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.transportId = transportId;
        b.forwardAgent = forwardAgent;
        b.sessions = sessions;
        b.agent = agent;
        b.drainHandoff = drainHandoff;
        b.crypto = crypto;
        b.tlsTrust = tlsTrust;
        b.listeners.addAll(listeners);
        b.components = components;
        return b;
    }

    /** The server's tunnel endpoint, such as {@code ws://host:8080/tunnel}. */
    public URI server() {
        return server;
    }

    /** The bearer token (JWT) sent at the upgrade and as the SSH password. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** The SSH user name; when absent, the token's subject is used. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    public List<ExposedService> services() {
        return services;
    }

    public HostKeyPolicy hostKeys() {
        return hostKeys;
    }

    /** A private key file for SSH public-key authentication. */
    public Optional<Path> identityFile() {
        return Optional.ofNullable(identityFile);
    }

    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    /** How often the client pings when the connection is quiet. */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /** How long without any sign of the server before the connection counts as dead. */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long a graceful shutdown waits for open streams to finish. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The transport provider id to use; when absent, the provider is chosen by the URI scheme. */
    public Optional<String> transportId() {
        return Optional.ofNullable(transportId);
    }

    /**
     * How many parallel SSH sessions the client keeps to the server (1 by default). Each registers every service;
     * the server spreads streams over them, for throughput and so one slow stream's session does not hold up others.
     */
    public int sessions() {
        return sessions;
    }

    /** Whether this connection forwards the user's local SSH agent to the server (off by default). */
    public boolean forwardAgent() {
        return forwardAgent;
    }

    /**
     * The local agent to forward: a Unix socket path or a Windows named pipe. When absent, the agent is found in
     * the usual places ({@code SSH_AUTH_SOCK}, gpg-agent, the Windows OpenSSH agent, Pageant).
     */
    public Optional<String> agent() {
        return Optional.ofNullable(agent);
    }

    /**
     * Whether this client answers a draining server that it will move elsewhere (a failover client does), so the
     * server waits for it to leave; otherwise the client stays until the server closes the session.
     */
    public boolean drainHandoff() {
        return drainHandoff;
    }

    /** The SSH crypto policy: cipher-suite profile, algorithm lists, rekey limits, a user key in a token. */
    public CryptoOptions crypto() {
        return crypto;
    }

    /** How a {@code wss://} server's certificate is verified: trusted certificates and public-key pins. */
    public TlsTrust tlsTrust() {
        return tlsTrust;
    }

    public List<TunnelListener> listeners() {
        return listeners;
    }

    public Components components() {
        return components;
    }

    @Override
    public String toString() {
        return "TunnelClientConfig[server=" + server + ", user=" + user + ", services=" + services + ", hostKeys="
                + hostKeys + ", token=" + (token == null ? "none" : "***")
                + (forwardAgent ? ", forwardAgent=" + (agent == null ? "discovered" : agent) : "")
                + (tlsTrust.isSystem() ? "" : ", tls=" + tlsTrust) + "]";
    }

    /** Builds a {@link TunnelClientConfig}; each setter checks its value at once. */
    public static final class Builder {
        private @Nullable URI server;
        private @Nullable String token;
        private @Nullable String user;
        private final List<ExposedService> services = new ArrayList<>();
        private @Nullable HostKeyPolicy hostKeys;
        private @Nullable Path identityFile;
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private Duration keepAliveInterval = Duration.ofSeconds(5);
        private Duration keepAliveTimeout = Duration.ofSeconds(15);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private @Nullable String transportId;
        private boolean forwardAgent;
        private int sessions = 1;
        private @Nullable String agent;
        private boolean drainHandoff;
        private CryptoOptions crypto = CryptoOptions.defaults();
        private TlsTrust tlsTrust = TlsTrust.system();
        private final List<TunnelListener> listeners = new ArrayList<>();
        private Components components = Components.NONE;

        private Builder() {
        }

        /** The server, such as {@code ws://127.0.0.1:8080} (path defaults to {@value #DEFAULT_PATH}). */
        public Builder server(URI server) {
            this.server = Objects.requireNonNull(server, "server");
            return this;
        }

        public Builder server(String server) {
            return server(URI.create(server));
        }

        public Builder token(String token) {
            if (token.isBlank()) {
                throw new IllegalArgumentException("token is blank");
            }
            this.token = token;
            return this;
        }

        public Builder user(String user) {
            if (user.isBlank()) {
                throw new IllegalArgumentException("user is blank");
            }
            this.user = user;
            return this;
        }

        /** Exposes {@code host:port} as service {@code name}. */
        public Builder expose(String name, String host, int port) {
            return expose(new ExposedService(name, host, port));
        }

        public Builder expose(ExposedService service) {
            if (services.stream().anyMatch(s -> s.name().equals(service.name()))) {
                throw new IllegalArgumentException("Service '" + service.name() + "' is already exposed");
            }
            services.add(service);
            return this;
        }

        public Builder hostKeys(HostKeyPolicy hostKeys) {
            this.hostKeys = Objects.requireNonNull(hostKeys, "hostKeys");
            return this;
        }

        public Builder identityFile(Path identityFile) {
            this.identityFile = Objects.requireNonNull(identityFile, "identityFile");
            return this;
        }

        public Builder reconnect(ReconnectPolicy reconnect) {
            this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
            return this;
        }

        public Builder keepAlive(Duration interval, Duration timeout) {
            this.keepAliveInterval = Durations.positive("keepAlive interval", interval);
            this.keepAliveTimeout = Durations.positive("keepAlive timeout", timeout);
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.positive("connectTimeout", connectTimeout);
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Durations.nonNegative("shutdownTimeout", shutdownTimeout);
            return this;
        }

        public Builder transportId(String transportId) {
            this.transportId = Objects.requireNonNull(transportId, "transportId");
            return this;
        }

        /** Keeps {@code sessions} parallel SSH sessions to the server (1 to 64; default 1). */
        public Builder sessions(int sessions) {
            if (sessions < 1 || sessions > 64) {
                throw new IllegalArgumentException("sessions must be 1 to 64, got " + sessions);
            }
            this.sessions = sessions;
            return this;
        }

        /**
         * Forwards the user's local SSH agent through this connection, so that server-side code can sign with its
         * keys (needs the {@code auth-agent} artifact). Off by default.
         */
        public Builder forwardAgent(boolean forwardAgent) {
            this.forwardAgent = forwardAgent;
            return this;
        }

        /** The local agent to forward: a Unix socket path or a Windows named pipe such as {@code \\.\pipe\openssh-ssh-agent}. */
        public Builder agent(String agent) {
            if (agent.isBlank()) {
                throw new IllegalArgumentException("agent is blank");
            }
            this.agent = agent;
            return this;
        }

        /** See {@link TunnelClientConfig#drainHandoff()}; off by default, set by the failover client. */
        public Builder drainHandoff(boolean drainHandoff) {
            this.drainHandoff = drainHandoff;
            return this;
        }

        /** The SSH crypto policy; {@link CryptoOptions#defaults()} unless set. */
        public Builder crypto(CryptoOptions crypto) {
            this.crypto = Objects.requireNonNull(crypto, "crypto");
            return this;
        }

        /** Trusts the CA (or server) certificates in this PEM file for {@code wss://} instead of the JDK's trust store. */
        public Builder tlsTrust(Path certificates) {
            this.tlsTrust = tlsTrust.withCertificates(certificates);
            return this;
        }

        /**
         * Accepts a {@code wss://} server only if its verified certificate chain holds one of these public keys
         * ({@code sha256/BASE64} of the SubjectPublicKeyInfo); replaces pins set before. See {@link TlsTrust}.
         */
        public Builder tlsPins(String... pins) {
            this.tlsTrust = tlsTrust.withPins(List.of(pins));
            return this;
        }

        public Builder listener(TunnelListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Removes the listeners added so far, for a derived copy whose events go elsewhere. */
        public Builder clearListeners() {
            listeners.clear();
            return this;
        }

        /** Supplies the instance to use for an extension point, bypassing discovery. */
        public <T> Builder component(Class<T> type, T instance) {
            components = components.with(type, instance);
            return this;
        }

        public TunnelClientConfig build() {
            return new TunnelClientConfig(this);
        }
    }
}
