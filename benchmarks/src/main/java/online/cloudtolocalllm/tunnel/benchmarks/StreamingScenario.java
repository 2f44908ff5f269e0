package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 7: how long an NDJSON token takes from the backend writing it to the caller reading it, for the first
 * token of each stream and for every token, to show that nothing on the way buffers.
 */
final class StreamingScenario implements Scenario {
    private static final int GAP_MS = 10;

    @Override
    public int number() {
        return 7;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        Settings settings = rig.settings();
        String path = "/ndjson?tokens=" + settings.tokensPerStream() + "&gapMs=" + GAP_MS;
        for (Target target : rig.targets(0)) {
            NdjsonReader.read(target.httpPort(), target.pathPrefix() + path, rig.authorization()); // warm-up, discarded
        }
        for (int repetition = 0; repetition < settings.repetitions(); repetition++) {
            for (Target target : rig.targets(repetition)) {
                List<Double> first = new ArrayList<>();
                List<Double> every = new ArrayList<>();
                for (int stream = 0; stream < settings.streams(); stream++) {
                    List<Long> delays = NdjsonReader.read(target.httpPort(), target.pathPrefix() + path, rig.authorization());
                    if (delays.size() != settings.tokensPerStream()) {
                        throw new IllegalStateException(target.name() + ": " + delays.size() + " of "
                                + settings.tokensPerStream() + " tokens arrived");
                    }
                    first.add(delays.getFirst() / 1e6);
                    delays.forEach(delay -> every.add(delay / 1e6));
                }
                for (int percentile : new int[] {50, 99}) {
                    results.add(new ResultSet.Metric.Key("7 streaming", "first token p" + percentile + " (" + settings.streams()
                            + " streams)", "ms", false), target.name(), Stats.percentile(first, percentile));
                    results.add(new ResultSet.Metric.Key("7 streaming", "every token p" + percentile, "ms", false),
                            target.name(), Stats.percentile(every, percentile));
                }
                Log.info("streaming %s: first token p50 %.2f ms", target.name(), Stats.percentile(first, 50));
            }
        }
    }
}
