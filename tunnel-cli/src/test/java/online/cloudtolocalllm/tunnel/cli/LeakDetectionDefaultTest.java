package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeakDetectionDefaultTest {
    private static final String LEVEL = "io.netty.leakDetection.level";
    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(LEVEL);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(LEVEL);
        } else {
            System.setProperty(LEVEL, before);
        }
    }

    @Test
    void theCommandTurnsNettysLeakSamplingOff() {
        System.clearProperty(LEVEL);
        TunnelCli.leakDetectionOffUnlessAsked();
        assertThat(System.getProperty(LEVEL)).isEqualTo("disabled");
    }

    @Test
    void aLevelGivenOnTheJavaCommandLineWins() {
        System.setProperty(LEVEL, "paranoid");
        TunnelCli.leakDetectionOffUnlessAsked();
        assertThat(System.getProperty(LEVEL)).isEqualTo("paranoid");
    }
}
