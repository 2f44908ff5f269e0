package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts about this machine and its tools that a result needs beside it. */
final class Machine {
    private Machine() {
    }

    static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        // nproc honours this JVM's pinning; getconf counts the machine's cores
        facts.put("cores", Proc.run(List.of("getconf", "_NPROCESSORS_ONLN")).trim());
        facts.put("cpu", Proc.run(List.of("lscpu")).lines().filter(line -> line.startsWith("Model name:"))
                .map(line -> line.substring("Model name:".length()).trim()).findFirst().orElse("unknown"));
        facts.put("kernel", Proc.run(List.of("uname", "-r")).trim());
        facts.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        facts.put("openssh", OpenSsh.version());
        facts.put("wrk", Proc.run(List.of("sh", "-c", "wrk -v 2>&1 | head -1 || true")).trim());
        facts.put("h2load", Proc.run(List.of("sh", "-c", "h2load --version 2>&1 | head -1 || true")).trim());
        return facts;
    }

    /**
     * What the machine takes from each core while it is otherwise idle, measured by a {@link StallProbe} pinned to
     * core 0 and one to core 1 at once for {@code seconds}: a run's latency tail is no better than this.
     */
    static String stalls(double seconds) throws InterruptedException {
        List<String> command = List.of(Jvm.javaBinary(), "-cp", System.getProperty("java.class.path"),
                StallProbe.class.getName(), Double.toString(seconds));
        List<Integer> cores = List.of(Pinning.TUNNEL_CORE, Pinning.LOAD_CORE);
        List<Proc> probes = new ArrayList<>();
        try {
            for (int core : cores) {
                probes.add(Proc.start("stall-probe-" + core, core, command, null));
            }
            Duration timeout = Duration.ofSeconds((long) seconds + 60);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < cores.size(); i++) {
                lines.add("core " + cores.get(i) + ": " + probes.get(i).awaitLine(line -> line.contains(" lost in "), timeout));
            }
            return String.join("; ", lines);
        } finally {
            probes.forEach(Proc::close);
        }
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
