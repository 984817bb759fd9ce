package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One resume rule in every command that checkpoints (common.RunDirectory): --resume with nothing to continue starts
 * the run afresh with a note; a second run without --resume is refused; a resumed run with another setting is
 * refused naming it as "was X, now Y".
 */
class ResumeRuleTest {
    @TempDir
    Path dir;

    /** The command, its output flag's value relative to the run directory, a tiny run, and a setting to change. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("score", "scores.csv", List.of("fashion-mnist", "--limit", "64", "--test-limit", "32",
                        "--epochs", "1", "--batch-size", "32"), List.of("--lr", "0.05"), "lr: was 0.1, now 0.05"),
                Arguments.of("search", "", List.of("fashion-mnist", "--epochs", "1", "--layers", "3", "--channels",
                        "4", "--nodes", "2", "--batch-size", "16", "--subset", "SUBSET"), List.of("--lr", "0.05"),
                        "lr: was 0.025, now 0.05"),
                Arguments.of("train", "", List.of("fashion-mnist", "--arch", "resnet20", "--epochs", "1",
                        "--batch-size", "32", "--test-limit", "32", "--train-subset", "SUBSET"),
                        List.of("--weight-decay", "0.001"), "weightDecay: was 1.0E-4, now 0.001"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void resumeWithNothingToContinueStartsAfreshAndAnotherRunIsRefused(String command, String outName,
            List<String> run, List<String> changed, String difference) throws IOException {
        Path subset = Files.writeString(dir.resolve("subset.json"), "{\"indices\": " + range(64) + "}");
        Path out = dir.resolve("run");
        Path target = outName.isEmpty() ? out : out.resolve(outName);
        List<String> args = new ArrayList<>(List.of(command));
        run.forEach(a -> args.add(a.equals("SUBSET") ? subset.toString() : a));
        args.addAll(List.of("--out", target.toString()));

        List<String> resumed = new ArrayList<>(args);
        resumed.add("--resume");
        CliRun fresh = CliRun.of(resumed);
        assertThat(fresh.exit()).as(fresh.err()).isZero();
        assertThat(fresh.errLines()).anyMatch(l -> l.startsWith("proxynas " + command + ": note: --resume: ")
                && l.contains("holds no checkpoint yet") && l.endsWith("starting it afresh"));

        CliRun again = CliRun.of(args);
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.errLines()).singleElement().asString().contains("already holds a run")
                .contains("pass --resume");

        List<String> other = new ArrayList<>(resumed);
        other.addAll(changed);
        CliRun refused = CliRun.of(other);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.errLines()).singleElement().asString().contains(difference);
    }

    private static String range(int n) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(Integer.toString(i));
        }
        return "[" + String.join(", ", items) + "]";
    }
}
