package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StageClockTest {
    /** Three searches of 100 examples each; the first took 40 s, so 80 s of work is left. */
    private static String lineOfTheThirdSearch(int slots) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StageClock clock = new StageClock(new PrintStream(bytes, true, StandardCharsets.UTF_8), "experiment",
                "search");
        clock.plan("search", 3, 300);
        clock.shareWorkAmong(slots);
        clock.start("search", "a", 100);
        clock.finish("search", 40, 100);
        clock.start("search", "b", 100);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void theEtaPricesTheWorkLeftAtTheMeasuredRate() {
        assertThat(lineOfTheThirdSearch(1)).contains("[search 2/3] b").endsWith("ETA 1m20s");
    }

    @Test
    void withSeveralSlotsTheEtaSharesTheWorkLeftAmongThem() {
        assertThat(lineOfTheThirdSearch(2)).endsWith("ETA 40.0s (1m20s of work on 2 slots)");
    }
}
