/** The {@code tunnel} command: runs a server or client, bridges OpenSSH, mints tokens and keys, and runs a demo. */
module online.cloudtolocalllm.tunnel.cli {
    requires online.cloudtolocalllm.tunnel.core;
    requires online.cloudtolocalllm.tunnel.spi;
    requires online.cloudtolocalllm.tunnel.api;
    requires online.cloudtolocalllm.tunnel.agent;
    requires online.cloudtolocalllm.tunnel.failover;
    requires info.picocli;
    requires jdk.httpserver;
    requires static org.jspecify;

    opens online.cloudtolocalllm.tunnel.cli to info.picocli;
}
