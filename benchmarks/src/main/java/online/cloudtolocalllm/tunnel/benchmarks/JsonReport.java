package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Renders a run as JSON: the run's facts, then every metric with its raw samples, spread and ratios. */
final class JsonReport {
    private JsonReport() {
    }

    static String render(Map<String, String> facts, ResultSet results) {
        StringBuilder out = new StringBuilder("{\n  \"run\": {");
        join(out, facts.entrySet().iterator(), (entry, sb) -> sb.append("\n    ").append(string(entry.getKey()))
                .append(": ").append(string(entry.getValue())));
        out.append("\n  },\n  \"metrics\": [");
        join(out, results.metrics().iterator(), JsonReport::metric);
        return out.append("\n  ]\n}\n").toString();
    }

    private static void metric(ResultSet.Metric metric, StringBuilder out) {
        ResultSet.Metric.Key key = metric.key();
        out.append("\n    {\"scenario\": ").append(string(key.scenario())).append(", \"metric\": ").append(string(key.name()))
                .append(", \"unit\": ").append(string(key.unit())).append(", \"higherIsBetter\": ").append(key.higherIsBetter())
                .append(",\n     \"setups\": {");
        join(out, metric.samples().entrySet().iterator(), (entry, sb) -> {
            Stats.Spread spread = Stats.spread(entry.getValue());
            sb.append("\n       ").append(string(entry.getKey())).append(": {\"median\": ").append(number(spread.median()))
                    .append(", \"min\": ").append(number(spread.min())).append(", \"max\": ").append(number(spread.max()))
                    .append(", \"samples\": ").append(numbers(entry.getValue())).append('}');
        });
        out.append("},\n     \"ratios\": {");
        join(out, Setups.PEERS.stream().filter(peer -> MarkdownReport.ratio(metric, peer).isPresent()).iterator(),
                (peer, sb) -> sb.append(string("ours/" + peer)).append(": ")
                        .append(number(MarkdownReport.ratio(metric, peer).orElseThrow())));
        out.append("}}");
    }

    private static String numbers(List<Double> values) {
        StringBuilder out = new StringBuilder("[");
        join(out, values.iterator(), (value, sb) -> sb.append(number(value)));
        return out.append(']').toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static <T> void join(StringBuilder out, Iterator<T> items, BiConsumer<T, StringBuilder> each) {
        while (items.hasNext()) {
            each.accept(items.next(), out);
            if (items.hasNext()) {
                out.append(',');
            }
        }
    }
}
