package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.List;

/** The names of the compared setups and the ratios a report shows. */
final class Setups {
    static final String DIRECT = "direct";
    static final String SSH_L = "OpenSSH -L";
    static final String SSH_R = "OpenSSH -R";
    static final String OURS = "ours";
    /** Column order in reports. */
    static final List<String> ALL = List.of(DIRECT, SSH_L, SSH_R, OURS);
    /** The peers each of our values is divided by. */
    static final List<String> PEERS = List.of(SSH_L, SSH_R);

    private Setups() {
    }
}
