package online.cloudtolocalllm.tunnel.benchmarks;

/** One numbered scenario of the issue, run against every setup of a {@link Rig}. */
interface Scenario {
    /** The scenario's number in the issue (1–7; 8 failover and 9 key exchange are ours only), which the {@code --only} filter names. */
    int number();

    void run(Rig rig, ResultSet results) throws Exception;
}
