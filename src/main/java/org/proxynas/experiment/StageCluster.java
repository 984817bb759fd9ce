package org.proxynas.experiment;

import java.util.concurrent.CompletableFuture;

/**
 * Where a study's stages run when not in this process: a cluster of workers that all see the study directory
 * at the same path (the {@code cluster} package implements it on Apache Spark). Each stage is one task that
 * calls {@link StageTask#run} on a worker.
 */
public interface StageCluster extends AutoCloseable {
    /**
     * Starts {@code task}; the future completes with where and how long it ran once the stage's
     * {@code done.json} is written, or exceptionally with the stage's own error once the cluster gives up.
     */
    CompletableFuture<TaskRun> submit(StageTask task);

    /** How many stages run at once when enough are ready: what the progress line's ETA divides the work by. */
    int slots();

    /**
     * A finished task: the worker it ran on, and its seconds there (the stage's own time plus rebuilding the
     * study's graph and, on a fresh worker process, starting the engine), for the overhead on the progress line.
     */
    record TaskRun(String worker, double seconds) implements java.io.Serializable {}

    @Override
    void close();
}
