package online.cloudtolocalllm.tunnel.benchmarks;

/** CPU seconds that a setup's server end and client end use between {@link #start} and {@link #stop}. */
final class CpuMeter {
    private final Target target;
    private final double serverBefore;
    private final double clientBefore;

    private CpuMeter(Target target) {
        this.target = target;
        this.serverBefore = ProcFs.cpuSeconds(target.serverPids().get());
        this.clientBefore = ProcFs.cpuSeconds(target.clientPids().get());
    }

    static CpuMeter start(Target target) {
        return new CpuMeter(target);
    }

    Used stop() {
        return new Used(ProcFs.cpuSeconds(target.serverPids().get()) - serverBefore,
                ProcFs.cpuSeconds(target.clientPids().get()) - clientBefore);
    }

    /** CPU seconds used by each end. */
    record Used(double server, double client) {
        /** Adds server-end, client-end and both-ends rows to {@code results}, each multiplied by {@code per}. */
        void record(ResultSet results, String what, String setup, double per) {
            add(results, what + ", server end", setup, server * per);
            add(results, what + ", client end", setup, client * per);
            add(results, what + ", both ends", setup, (server + client) * per);
        }

        private static void add(ResultSet results, String name, String setup, double seconds) {
            results.add(new ResultSet.Metric.Key("6 CPU", name, "CPU s", false), setup, seconds);
        }
    }
}
