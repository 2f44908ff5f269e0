package online.cloudtolocalllm.tunnel.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.global.OpenSshHostKeysHandler;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.jspecify.annotations.Nullable;

/**
 * Builds the sshd client of a tunnel client: no ~/.ssh configuration or keys are picked up, host keys are checked
 * by the client's policy, and the only channels the server may open are streams to exposed services and, when the
 * client forwards its agent, agent channels. A server's draining notice goes to {@code onDraining}; host keys
 * the server announces and proves during a rotation join the client's trust, as {@code onHostKeys} hears.
 */
final class SshClientSetup {
    private SshClientSetup() {
    }

    static TunnelSshClient create(TunnelClientConfig config, EndpointCrypto crypto, ClientTransport transport, HostKeyCheck hostKeys,
            @Nullable ClientAgentForwarding agent, TrafficCounters counters, Predicate<Session> onDraining,
            HostKeyUpdates.Outcome onHostKeys) {
        TunnelSshClient client = (TunnelSshClient) ClientBuilder.builder()
                .factory(() -> new TunnelSshClient(transport, counters))
                .build();
        crypto.apply(client, ClientBuilder.DH2KEX);
        // sshd's timers (heartbeats, timeouts) on a virtual thread: a platform thread per client cost each idle tunnel
        client.setScheduledExecutorService(Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("tunnel-client-timer").factory()), true);
        client.setServerKeyVerifier(hostKeys);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
        Map<String, ExposedService> services = new LinkedHashMap<>();
        config.services().forEach(service -> services.put(service.name(), service));
        List<ChannelFactory> channels = new ArrayList<>(List.of(LocalServiceChannel.factory(Map.copyOf(services))));
        if (agent != null) {
            channels.add(agent.channelFactory());
        }
        client.setChannelFactories(channels);
        // the local service channels only ever connect to the exposed services' own addresses
        client.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        client.addChannelListener(StreamCounting.INSTANCE);
        List<RequestHandler<ConnectionService>> handlers = new ArrayList<>(List.of(new HostKeyUpdates(hostKeys, onHostKeys)));
        client.getGlobalRequestHandlers().stream().filter(handler -> !(handler instanceof OpenSshHostKeysHandler)).forEach(handlers::add);
        handlers.add(new DrainingNoticeHandler(onDraining));
        client.setGlobalRequestHandlers(handlers);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, config.keepAliveInterval());
        int missed = (int) Math.max(1, config.keepAliveTimeout().toMillis() / config.keepAliveInterval().toMillis());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, missed);
        CoreModuleProperties.AUTH_TIMEOUT.set(client, config.connectTimeout());
        return client;
    }
}
