package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import picocli.CommandLine;

/**
 * The promise behind {@code --resume}, kept as a user keeps it: {@code train} killed with SIGKILL after its
 * first checkpoint, then run again with {@code --resume}, ends with the result an uninterrupted run has.
 */
class KilledTrainingResumeTest {
    @TempDir
    Path dir;

    @Test
    void aTrainingKilledWithSigkillResumesToTheUninterruptedResult() throws Exception {
        Path subset = dir.resolve("first-256.json");
        Files.writeString(subset, "{\"indices\":" + IntStream.range(0, 256).boxed().toList() + "}");
        List<String> args = List.of("train", "fashion-mnist", "--arch", "resnet20", "--epochs", "3", "--batch-size",
                "64", "--train-subset", subset.toString(), "--test-limit", "100");
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        runToTheEnd(args, "--out", whole.toString());

        Path child = Files.createDirectories(dir.resolve("child"));
        List<String> childArgs = new ArrayList<>(args);
        childArgs.addAll(List.of("--out", killed.toString()));
        Process p = ChildJvm.start("512m", Map.of("PROXYNAS_DATA", System.getenv("PROXYNAS_DATA")),
                ProxyNas.class.getName(), childArgs, child);
        awaitEpochs(killed.resolve("log.jsonl"), 1, p);
        p.destroyForcibly();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(killed.resolve("log.jsonl"))).as("killed before the last epoch")
                .hasSizeLessThan(3);
        assertThat(killed.resolve("result.json")).doesNotExist();

        runToTheEnd(args, "--out", killed.toString(), "--resume");
        assertThat(withoutTimings(killed.resolve("result.json")))
                .isEqualTo(withoutTimings(whole.resolve("result.json")));
        assertThat(losses(killed)).isEqualTo(losses(whole));
    }

    private static void runToTheEnd(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(all.toArray(String[]::new))).as(String.join(" ", all) + ": " + err).isZero();
    }

    private static void awaitEpochs(Path log, int epochs, Process p) throws IOException, InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (Files.exists(log) && Files.readAllLines(log).size() >= epochs) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the training ended before it could be killed");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpointed epoch within a minute");
    }

    private static JsonNode withoutTimings(Path result) throws IOException {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(result.toFile());
        node.remove(List.of("wallSeconds", "imagesPerSecond", "provenance"));
        return node;
    }

    private static List<String> losses(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("log.jsonl"))) {
            JsonNode n = Json.MAPPER.readTree(line);
            out.add(n.get("trainLoss") + " " + n.get("testAccuracy"));
        }
        return out;
    }
}
