package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final ResultSet.Metric.Key BULK = new ResultSet.Metric.Key("1 bulk", "1 stream", "MB/s", true);
    private static final ResultSet.Metric.Key MEMORY = new ResultSet.Metric.Key("5 memory", "server RSS", "MiB", false);

    private static ResultSet results() {
        ResultSet results = new ResultSet();
        for (double value : new double[] {1200, 1100, 1300}) {
            results.add(BULK, Setups.DIRECT, value);
        }
        for (double value : new double[] {300, 310, 290}) {
            results.add(BULK, Setups.SSH_L, value);
        }
        for (double value : new double[] {150, 120, 140}) {
            results.add(BULK, Setups.OURS, value);
        }
        results.add(MEMORY, Setups.SSH_R, 8.5);
        results.add(MEMORY, Setups.OURS, 4.25);
        return results;
    }

    @Test
    void markdownShowsMedianRangeAndRatiosPerPeer() {
        String table = MarkdownReport.render(results());
        assertThat(table.lines().toList()).containsExactly(
                "| scenario | metric | unit | direct | OpenSSH -L | OpenSSH -R | ours | ours / OpenSSH -L | ours / OpenSSH -R |",
                "|---|---|---|---|---|---|---|---|---|",
                "| 1 bulk | 1 stream | MB/s | 1200 (1100–1300) | 300 (290–310) | – | 140 (120–150) | 0.47× | – |",
                "| 5 memory | server RSS | MiB | – | – | 8.50 | 4.25 | – | 0.50× |");
    }

    @Test
    void ratioNeedsBothSetupsAndANonZeroPeer() {
        ResultSet results = new ResultSet();
        results.add(MEMORY, Setups.SSH_L, 0);
        results.add(MEMORY, Setups.OURS, 1);
        ResultSet.Metric metric = results.metrics().getFirst();
        assertThat(MarkdownReport.ratio(metric, Setups.SSH_L)).isEmpty();
        assertThat(MarkdownReport.ratio(metric, Setups.SSH_R)).isEmpty();
    }

    @Test
    void jsonHasFactsSamplesSpreadsAndRatios() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cpu", "Some \"quoted\" CPU\n");
        String json = JsonReport.render(facts, results());
        assertThat(json).contains("\"cpu\": \"Some \\\"quoted\\\" CPU\\n\"")
                .contains("{\"scenario\": \"1 bulk\", \"metric\": \"1 stream\", \"unit\": \"MB/s\", \"higherIsBetter\": true,")
                .contains("\"OpenSSH -L\": {\"median\": 300, \"min\": 290, \"max\": 310, \"samples\": [300,310,290]}")
                .contains("\"ratios\": {\"ours/OpenSSH -L\": 0.4666666666666667}")
                .contains("\"ratios\": {\"ours/OpenSSH -R\": 0.5}");
    }

    @Test
    void numbersKeepAboutThreeDigits() {
        assertThat(Numbers.format(123456.7)).isEqualTo("123457");
        assertThat(Numbers.format(42.345)).isEqualTo("42.3");
        assertThat(Numbers.format(1.2345)).isEqualTo("1.23");
        assertThat(Numbers.format(0.01234)).isEqualTo("0.012");
        assertThat(Numbers.format(-3.5)).isEqualTo("-3.50");
        assertThat(Numbers.ratio(0.4)).isEqualTo("0.40×");
        assertThat(Numbers.ratio(0.0038)).isEqualTo("0.004×");
    }

    @Test
    void cpuIsRecordedPerEndAndForBothScaled() {
        ResultSet results = new ResultSet();
        new CpuMeter.Used(1.5, 0.5).record(results, "per GiB", Setups.OURS, 2);
        assertThat(results.metrics()).extracting(metric -> metric.key().name() + "=" + metric.samples().get(Setups.OURS))
                .containsExactly("per GiB, server end=[3.0]", "per GiB, client end=[1.0]", "per GiB, both ends=[4.0]");
    }
}
