package online.cloudtolocalllm.tunnel.benchmarks;

/**
 * How much each scenario does: a full run, or a quick smoke run that only proves the harness works.
 *
 * @param quick whether this is the smoke run
 * @param repetitions interleaved repetitions of each measurement
 * @param bulkBytes bytes per bulk measurement (split over the streams)
 * @param wrkSeconds duration of each wrk run
 * @param latencySeconds duration of each h2load run
 * @param latencyConnections h2load connections
 * @param latencyRatePerConnection requests per second per h2load connection
 * @param tunnelsToEstablish tunnels timed per setup in the establishment scenario
 * @param idleTunnels idle tunnels held open in the memory scenario
 * @param streams NDJSON streams read per repetition
 * @param tokensPerStream tokens in each stream
 */
record Settings(boolean quick, int repetitions, long bulkBytes, int wrkSeconds, int latencySeconds, int latencyConnections,
        int latencyRatePerConnection, int tunnelsToEstablish, int idleTunnels, int streams, int tokensPerStream) {
    static final long MIB = 1024 * 1024;

    static Settings full() {
        return new Settings(false, 5, 1024 * MIB, 5, 10, 10, 100, 30, 1000, 20, 20);
    }

    static Settings quickRun() {
        return new Settings(true, 2, 64 * MIB, 2, 3, 10, 50, 5, 100, 5, 10);
    }
}
