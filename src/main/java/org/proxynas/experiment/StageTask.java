package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.ErrorMessages;
import org.proxynas.common.Json;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;

/**
 * One stage of the study in {@code study} as a cluster task: the worker reads the study's definition from the
 * directory, rebuilds its stage graph and runs the stage with this key hash through the same cache-or-run path
 * as a local run. So a task carries names, never data, and a retried task finds the stage's checkpoint (or its
 * {@code done.json}, and then does nothing) where the lost attempt left it.
 *
 * @param study the study's directory, an absolute path every worker sees; its {@code study.json} defines the study
 * @param device the study's {@code --device}, resolved on the worker
 */
public record StageTask(String study, String kind, String label, String hash,
        List<String> command, String device) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Written into the stage's directory when the stage fails, for the driver to report. */
    static final String ERROR = "error.json";

    public StageTask {
        command = List.copyOf(command);
    }

    /**
     * Runs the stage on this machine, {@code worker}, continuing the checkpoint its directory holds: the driver
     * cleared the directory before the first attempt unless the study resumes, so a checkpoint there is the
     * study's to continue or a lost attempt's.
     */
    public StageCluster.TaskRun run(String worker) throws IOException {
        long start = System.nanoTime();
        RunContext context = new RunContext(command, ComputeDevice.parse(device), true, ProgressListener.CONSOLE);
        Path studyDir = Path.of(study);
        Files.deleteIfExists(errorFile());
        try {
            Studies.runStage(studyDir, hash, context);
            return new StageCluster.TaskRun(worker, (System.nanoTime() - start) / 1e9);
        } catch (IOException | RuntimeException | Error e) {
            recordError(e);
            throw e;
        }
    }

    /** The stage's error as its worker recorded it, or null when it recorded none. */
    RuntimeException recordedError() throws IOException {
        Path file = errorFile();
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode node = Json.MAPPER.readTree(file.toFile());
        String message = label + ": " + node.path("message").asText();
        return node.path("userError").asBoolean() ? new UserError(message) : new IllegalStateException(message);
    }

    private void recordError(Throwable e) {
        try {
            Json.write(errorFile(),
                    Map.of("userError", e instanceof UserError, "message", ErrorMessages.oneLine(e)));
        } catch (IOException | RuntimeException ignored) {
            // the task's own error reaches the driver through the cluster anyway
        }
    }

    private Path errorFile() {
        return dir().resolve(ERROR);
    }

    /** The stage's directory, which the driver has prepared before submitting the task. */
    public Path dir() {
        return new StageStore(Path.of(study), null).dir(new StageStore.Key(kind, label, hash));
    }

    /**
     * Where a worker that captures the stage's console output writes it: {@code DIR.log} beside the stage's
     * directory, since a stage that starts over clears its directory.
     */
    public Path log() {
        Path dir = dir();
        return dir.resolveSibling(dir.getFileName() + ".log");
    }
}
