package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.List;

/** Runs load through every tunnel once before any measurement, so that our JVMs are compiled when measured. */
final class WarmUp {
    private WarmUp() {
    }

    static void run(Rig rig) throws Exception {
        int seconds = rig.settings().quick() ? 3 : 10;
        for (Target target : rig.targets(0)) {
            if (target.isTunnel()) {
                Wrk.run(target.url("/1k"), 64, seconds, List.of("Authorization: " + rig.authorization()));
                BulkScenario.upload(target.bulkPort(), rig.settings().quick() ? 64 * Settings.MIB : 512 * Settings.MIB);
                NdjsonReader.read(target.httpPort(), target.pathPrefix() + "/ndjson?tokens=10&gapMs=1", rig.authorization());
            }
        }
        Log.info("warmed up");
    }
}
