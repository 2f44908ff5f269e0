/** Connection pools with warm-up, health checks, retirement by age and idle time, and metrics. */
module online.cloudtolocalllm.tunnel.pool {
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports online.cloudtolocalllm.tunnel.pool;
}
