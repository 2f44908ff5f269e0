package online.cloudtolocalllm.tunnel.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end-to-end comparison: starts the backend, OpenSSH and our tunnel on loopback, runs the chosen scenarios
 * against every setup, and writes {@code results.json} and {@code results.md} under
 * {@code <results>/<date>/} ({@code <date>-quick} for a smoke run).
 *
 * <pre>
 * java -jar benchmarks.jar [--quick] [--only 1,2,7] [--jfr] [--tunnel-jar tunnel-cli/target/tunnel.jar] [--results DIR]
 * </pre>
 * {@code --jfr} records our server and client with JFR into the run's work directory (printed at the end).
 */
public final class BenchMain {
    private static final List<Scenario> SCENARIOS = List.of(new BulkScenario(), new HttpRateScenario(), new LatencyScenario(),
            new EstablishmentScenario(), new MemoryScenario(), new StreamingScenario(), new FailoverScenario(),
            new KeyExchangeScenario());
    /** How long each core's stalls are measured before and after a run. */
    private static final double STALL_SECONDS = 5;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean profile = false;
        Set<Integer> only = new HashSet<>();
        Path tunnelJar = Path.of("tunnel-cli/target/tunnel.jar");
        Path resultsRoot = Path.of("benchmarks/results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jfr" -> profile = true;
                case "--only" -> {
                    for (String number : args[++i].split(",")) {
                        only.add(Integer.parseInt(number.trim()));
                    }
                }
                case "--tunnel-jar" -> tunnelJar = Path.of(args[++i]);
                case "--results" -> resultsRoot = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--quick] [--only 1,2,...] [--jfr] [--tunnel-jar JAR] [--results DIR]");
            }
        }
        Settings settings = quick ? Settings.quickRun() : Settings.full();
        Path out = resultsRoot.resolve(LocalDate.now(ZoneOffset.UTC) + (quick ? "-quick" : ""));
        Files.createDirectories(out);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("started", ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        facts.put("command", "scripts/bench " + String.join(" ", args));
        facts.putAll(Machine.facts());
        facts.put("load average before", Machine.loadAverage());
        facts.put("stalls before, both cores idle", Machine.stalls(STALL_SECONDS));
        facts.put("settings", settings.toString());
        facts.put("pinning", "tunnel ends on core " + Pinning.TUNNEL_CORE + "; harness, backend, wrk and h2load on core " + Pinning.LOAD_CORE);
        facts.put("algorithms", "OpenSSH: " + OpenSshConfig.CIPHER + ", " + OpenSshConfig.KEX
                + "; ours: the client offers the same (" + String.join(" ", OurTunnel.LIKE_FOR_LIKE) + ")");
        ResultSet results = new ResultSet();
        Path work = Files.createTempDirectory("tunnel-bench-");
        try (Rig rig = startRig(settings, work, tunnelJar, profile)) {
            WarmUp.run(rig);
            for (Scenario scenario : SCENARIOS) {
                if (only.isEmpty() || only.contains(scenario.number())) {
                    Log.info("scenario %d", scenario.number());
                    try {
                        scenario.run(rig, results);
                    } catch (Exception | AssertionError e) {
                        // one broken scenario must not cost a long run the others; the report says it failed
                        facts.put("scenario " + scenario.number() + " failed", e.toString());
                        Log.info("scenario %d failed:", scenario.number());
                        e.printStackTrace();
                    }
                }
            }
        }
        facts.put("load average after", Machine.loadAverage());
        facts.put("stalls after", Machine.stalls(STALL_SECONDS));
        facts.put("finished", ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        String table = MarkdownReport.render(results);
        Files.writeString(out.resolve("results.json"), JsonReport.render(facts, results));
        Files.writeString(out.resolve("results.md"), facts(facts) + "\n" + table);
        System.out.println(table);
        Log.info("wrote %s (logs of the tunnel processes in %s)", out, work);
    }

    /**
     * Starts the rig, a second time if the first fails: on a machine shared with other people's test runs, a process
     * of ours has been seen to receive a stray SIGTERM while starting.
     */
    private static Rig startRig(Settings settings, Path work, Path tunnelJar, boolean profile) throws Exception {
        try {
            return Rig.start(settings, work.resolve("rig"), tunnelJar, profile);
        } catch (IllegalStateException e) {
            Log.info("starting the setups failed, trying once more: %s", e.getMessage());
            return Rig.start(settings, work.resolve("rig-again"), tunnelJar, profile);
        }
    }

    private static String facts(Map<String, String> facts) {
        StringBuilder out = new StringBuilder();
        facts.forEach((name, value) -> out.append("- ").append(name).append(": ").append(value).append('\n'));
        return out.toString();
    }
}
