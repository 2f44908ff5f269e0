package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.List;
import java.util.Optional;

/**
 * Renders a run as a markdown table: per metric, each setup's median with its min–max, and our median divided by
 * each OpenSSH setup's median.
 */
final class MarkdownReport {
    private MarkdownReport() {
    }

    static String render(ResultSet results) {
        StringBuilder out = new StringBuilder("| scenario | metric | unit |");
        Setups.ALL.forEach(setup -> out.append(' ').append(setup).append(" |"));
        Setups.PEERS.forEach(peer -> out.append(" ours / ").append(peer).append(" |"));
        out.append("\n|---|---|---|").append("---|".repeat(Setups.ALL.size() + Setups.PEERS.size())).append('\n');
        for (ResultSet.Metric metric : results.metrics()) {
            ResultSet.Metric.Key key = metric.key();
            out.append("| ").append(key.scenario()).append(" | ").append(key.name()).append(" | ").append(key.unit()).append(" |");
            for (String setup : Setups.ALL) {
                out.append(' ').append(cell(metric.samples().get(setup))).append(" |");
            }
            for (String peer : Setups.PEERS) {
                out.append(' ').append(ratio(metric, peer).map(Numbers::ratio).orElse("–")).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Our median over the peer's, when both were measured and the peer's is not zero. */
    static Optional<Double> ratio(ResultSet.Metric metric, String peer) {
        List<Double> ours = metric.samples().get(Setups.OURS);
        List<Double> theirs = metric.samples().get(peer);
        if (ours == null || theirs == null) {
            return Optional.empty();
        }
        double denominator = Stats.median(theirs);
        return denominator == 0 ? Optional.empty() : Optional.of(Stats.median(ours) / denominator);
    }

    private static String cell(List<Double> samples) {
        if (samples == null) {
            return "–";
        }
        Stats.Spread spread = Stats.spread(samples);
        if (spread.count() == 1) {
            return Numbers.format(spread.median());
        }
        return Numbers.format(spread.median()) + " (" + Numbers.format(spread.min()) + "–" + Numbers.format(spread.max()) + ")";
    }
}
