package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void offATerminalEveryUpdateIsAWholeLineWithTheBarAndTheMessage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
                Progress p = Progress.start("search darts", 100, "step", out, false)) {
            p.stepTo(40);
            p.message("epoch 2/5 loss 1.234 acc 0.612");
        }
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("\r").endsWith(System.lineSeparator());
        String last = log.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).contains("search darts", "40/100", "epoch 2/5 loss 1.234 acc 0.612")
                .containsPattern("\\[=+ +\\]");
    }

    @Test
    void aFinishedBarIsLoggedOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
                Progress p = Progress.start("train", 10, "batch", out, false)) {
            p.stepTo(10);
            p.message("epoch 1/1: testing");
            p.message("epoch 1 loss 0.5 test 0.9");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("10/10")).count())
                .isEqualTo(1);
    }
}
