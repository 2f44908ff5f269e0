package online.cloudtolocalllm.tunnel.benchmarks;

/**
 * Which core runs what: both tunnel ends (sshd, ssh, our server and client) on one, the load generators, the
 * backend and this harness on the other, so that neither side steals the other's CPU.
 */
final class Pinning {
    static final int TUNNEL_CORE = 0;
    static final int LOAD_CORE = 1;

    private Pinning() {
    }
}
