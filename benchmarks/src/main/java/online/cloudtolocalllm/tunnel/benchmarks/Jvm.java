package online.cloudtolocalllm.tunnel.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running JVM's {@code java} and {@code jcmd}, and heap-after-GC of another JVM. */
final class Jvm {
    private static final Pattern GENERATION = Pattern.compile(
            "^\\s*(DefNew|Tenured|def new generation|tenured generation|PSYoungGen|ParOldGen|garbage-first heap)\\b.*used (\\d+)K");

    private Jvm() {
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a full GC in JVM {@code pid} and returns the heap it still uses, in KiB. */
    static long heapAfterGcKib(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Proc.run(List.of(jcmd, Long.toString(pid), "GC.run"));
        return usedKib(Proc.run(List.of(jcmd, Long.toString(pid), "GC.heap_info")));
    }

    /** The heap use in {@code jcmd GC.heap_info} output: the generations' (or G1's whole heap's) use, no metaspace. */
    static long usedKib(String heapInfo) {
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            Matcher matcher = GENERATION.matcher(line);
            if (matcher.find()) {
                used += Long.parseLong(matcher.group(2));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no heap use in:\n" + heapInfo);
        }
        return used;
    }
}
