package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading what wrk, h2load and jcmd print. */
class ToolOutputTest {
    @Test
    void wrkSummaryWithErrors() {
        String output = """
                Running 5s test @ http://127.0.0.1:8080/1k
                  1 threads and 64 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     3.10ms    1.20ms  40.00ms   90.00%
                  51234 requests in 5.00s, 60.10MB read
                  Socket errors: connect 0, read 3, write 0, timeout 2
                  Non-2xx or 3xx responses: 7
                Requests/sec:  10246.80
                Transfer/sec:     12.02MB
                """;
        assertThat(Wrk.parse(output)).isEqualTo(new Wrk.Result(10246.80, 51234, 12));
    }

    @Test
    void wrkSummaryWithoutErrorsAndGarbage() {
        assertThat(Wrk.parse("  10 requests in 1.00s, 1KB read\nRequests/sec:      10.00\n")).isEqualTo(new Wrk.Result(10, 10, 0));
        assertThatThrownBy(() -> Wrk.parse("unable to connect")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void h2loadLogKeepsSuccessfulRequestsAfterTheWarmUpInMilliseconds() {
        assertThat(H2load.parseLog(List.of("1764115200500000\t200\t9000", "1764115200000000\t200\t7000",
                "1764115201000000\t200\t1500", "1764115201001000\t502\t900", "1764115202002000\t200\t250", ""),
                1_000_000)).containsExactly(1.5, 0.25);
    }

    @Test
    void h2loadCountsRequestsWithoutASuccessfulAnswer() {
        String stalled = """
                finished in 13.02s, 230.41 req/s, 253.63KB/s
                requests: 3000 total, 3000 started, 2999 done, 2990 succeeded, 10 failed, 0 errored, 1 timeout
                status codes: 2990 2xx, 0 3xx, 0 4xx, 9 5xx
                """;
        assertThat(H2load.unanswered(stalled)).isEqualTo(10);
        assertThat(H2load.unanswered("requests: 30 total, 30 started, 30 done, 30 succeeded, 0 failed, 0 errored, 0 timeout"))
                .isZero();
        assertThatThrownBy(() -> H2load.unanswered("connect: Connection refused")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void heapUseOfSerialAndG1() {
        String serial = """
                12626:
                DefNew     total 116160K, used 14461K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
                 eden space 103296K,  14% used [0x0000000687400000, 0x000000068821f690, 0x000000068d8e0000)
                Tenured    total 258048K, used 1166K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
                 the  space 258048K,   0% used [0x0000000704d50000, 0x0000000704e73ab8, 0x0000000714950000)
                 Metaspace       used 1200K, committed 1344K, reserved 1114112K
                """;
        assertThat(Jvm.usedKib(serial)).isEqualTo(14461 + 1166);
        String g1 = """
                 garbage-first heap   total reserved 6291456K, committed 262144K, used 4567K [0x0000000680000000, 0x0000000800000000)
                  region size 2048K, 1 young (2048K), 0 survivors (0K)
                 Metaspace       used 9000K, committed 9200K, reserved 1114112K
                """;
        assertThat(Jvm.usedKib(g1)).isEqualTo(4567);
    }

    @Test
    void ingressReuseRateFromHealthz() {
        assertThat(IngressPools.parse("{\"status\":\"ok\",\"sessions\":1,\"ingressPools\":{\"pools\":2,\"size\":64,"
                + "\"idle\":64,\"inUse\":0,\"created\":128,\"reused\":49907,\"reuseRate\":0.997}}")).isEqualTo(0.997);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IngressPools.parse("{\"status\":\"ok\"}"))
                .hasMessageContaining("No reuseRate");
    }
}
