package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path dir;

    /** A job config: settings, and a location that may move. */
    record Config(int epochs, double lr, Path out) {}

    private final List<String> notes = new ArrayList<>();
    private final ProgressListener listener = new ProgressListener() {
        @Override
        public void note(String message) {
            notes.add(message);
        }
    };

    private static RunDirectory.Run run(Config config, String dataset) {
        return new RunDirectory.Run(config, Map.of("dataset", dataset), Map.of("examples", 10),
                Provenance.capture("none", List.of("test")));
    }

    private RunDirectory open(Path run, Config config, String dataset, boolean resume) throws Exception {
        return RunDirectory.open(run, "checkpoint.bin", "result.json", run(config, dataset), resume, listener);
    }

    @Test
    void oneRuleForAFreshARefusedAndAContinuedRun() throws Exception {
        Path run = dir.resolve("run");
        Config config = new Config(3, 0.1, run);
        try (RunDirectory fresh = open(run, config, "aaa", false)) {
            assertThat(fresh.continues()).isFalse();
            assertThat(run.resolve(DirectoryLock.FILE)).exists();
            assertThatThrownBy(() -> open(run, config, "aaa", false)).hasMessageContaining("is in use by another run");
        }
        var written = RunDirectory.read(run);
        assertThat(written.at("/config/epochs").asInt()).isEqualTo(3);
        assertThat(written.at("/inputs/dataset").asText()).isEqualTo("aaa");
        assertThat(written.path("examples").asInt()).as("details beside config and inputs").isEqualTo(10);

        Files.writeString(run.resolve("checkpoint.bin"), "state");
        assertThatThrownBy(() -> open(run, config, "aaa", false)).isInstanceOf(UserError.class)
                .hasMessage(run + " already holds a run (checkpoint.bin); pass --resume to continue it, or choose"
                        + " another directory");
        try (RunDirectory moved = open(run, new Config(3, 0.1, dir.resolve("elsewhere")), "aaa", true)) {
            assertThat(moved.continues()).as("a location is not a setting").isTrue();
        }
        assertThatThrownBy(() -> open(run, new Config(4, 0.1, run), "bbb", true)).isInstanceOf(UserError.class)
                .hasMessage("--resume: the run in " + run + " is another one: epochs: was 3, now 4; dataset content:"
                        + " SHA-256 was aaa, now bbb; choose another directory, or run without --resume elsewhere");
        assertThat(notes).isEmpty();
    }

    @Test
    void resumeWithNoCheckpointYetStartsAfreshWithANoteAndAFinishedRunIsNotOverwritten() throws Exception {
        Path run = dir.resolve("run");
        try (RunDirectory r = open(run, new Config(3, 0.1, run), "aaa", true)) {
            assertThat(r.continues()).isFalse();
        }
        assertThat(notes).containsExactly("--resume: " + run + " holds no checkpoint yet (the run stopped before its"
                + " first); starting it afresh");
        Files.writeString(run.resolve("result.json"), "{}");
        assertThatThrownBy(() -> open(run, new Config(3, 0.1, run), "aaa", false))
                .hasMessageContaining("already holds a run (result.json)");
        assertThatThrownBy(() -> open(Files.writeString(dir.resolve("file"), "x"), new Config(3, 0.1, run), "aaa",
                false)).hasMessageContaining("exists and is not a directory");
    }
}
