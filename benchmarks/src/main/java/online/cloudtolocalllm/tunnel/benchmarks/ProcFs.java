package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** CPU time and resident memory of processes, read from {@code /proc}. */
final class ProcFs {
    /** Clock ticks per second of {@code utime}/{@code stime} ({@code getconf CLK_TCK}; 100 on Linux x86-64). */
    private static final double TICKS_PER_SECOND = Double.parseDouble(Proc.run(List.of("getconf", "CLK_TCK")).trim());

    private ProcFs() {
    }

    /** User plus system CPU seconds the processes have used so far; processes that are gone count zero. */
    static double cpuSeconds(Collection<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            ticks += cpuTicks(pid);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static long cpuTicks(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return 0;
        }
        // the command name may hold spaces: fields are counted after its closing parenthesis (field 3 = state)
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Resident set size in KiB ({@code VmRSS}); 0 for a process that is gone. */
    static long rssKib(long pid) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return 0;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    static long rssKib(Collection<Long> pids) {
        return pids.stream().mapToLong(ProcFs::rssKib).sum();
    }

    /**
     * Proportional set size in KiB ({@code Pss} of {@code smaps_rollup}): resident memory with each shared page
     * divided among the processes that share it, so that forked processes are not charged their parent's pages
     * many times over; 0 for a process that is gone.
     */
    static long pssKib(long pid) {
        String rollup = read(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
        if (rollup == null) {
            return 0;
        }
        for (String line : rollup.split("\n")) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    static long pssKib(Collection<Long> pids) {
        return pids.stream().mapToLong(ProcFs::pssKib).sum();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
