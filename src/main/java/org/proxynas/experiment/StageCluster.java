package org.proxynas.experiment;

import java.util.concurrent.CompletableFuture;

/**
 * Where a study's stages run when not in this process: a cluster of workers that all see the study directory
 * at the same path (the {@code cluster} package implements it on Apache Spark). Each stage is one task that
 * calls {@link StageTask#run} on a worker.
 */
public interface StageCluster extends AutoCloseable {
    /**
     * Starts {@code task}; the future completes with the name of the worker it ran on once the stage's
     * {@code done.json} is written, or exceptionally with the stage's own error once the cluster gives up.
     */
    CompletableFuture<String> submit(StageTask task);

    @Override
    void close();
}
