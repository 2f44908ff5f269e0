/** A tunnel client over several endpoints: health checks, weighted selection, handoff, a queue while moving, failback. */
module online.cloudtolocalllm.tunnel.failover {
    requires transitive online.cloudtolocalllm.tunnel.api;
    requires java.net.http;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports online.cloudtolocalllm.tunnel.failover;
}
