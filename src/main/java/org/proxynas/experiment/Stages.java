package org.proxynas.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;

/**
 * The one cache-or-run path of a study directory: every stage of an experiment and of a ranking study goes
 * through {@link #run}. A stage is reused when its {@code done.json} still matches its key ({@link StageStore});
 * otherwise it runs, continuing its checkpoint when the context resumes, and is recorded in the store and timed
 * on the progress line. Two studies over one directory therefore share every stage they have in common.
 *
 * <p>{@link #runAll} runs a study's {@link StageGraph}: here, one stage after another; or on a
 * {@link StageCluster}, every stage whose inputs are done at once, each a task that runs {@link #run} on a
 * worker.
 */
final class Stages {
    static final String GRAPH = "graph.json";
    private final Path out;
    private final StageStore store;
    private final StageClock clock;
    private final RunContext context;
    private Consumer<StageStore.Key> onStageDone = key -> {};

    /** Stages under {@code out}; {@code context.resume()} says whether interrupted stages continue. */
    Stages(Path out, RunContext context, StageClock clock) {
        this.out = out;
        this.store = new StageStore(out, () -> provenance("none"));
        this.clock = clock;
        this.context = context;
    }

    /** A stage's work: run in its directory under a context whose resume flag says whether it continues. */
    interface Work {
        StageStore.Finished run(Path dir, RunContext stageContext) throws IOException;
    }

    /** Called after each stage that ran (not for reused ones) has recorded its outputs. */
    void onStageDone(Consumer<StageStore.Key> listener) {
        this.onStageDone = listener;
    }

    /**
     * Runs every stage of {@code graph} that is not done: in this process, in the graph's order, when
     * {@code cluster} is null; otherwise as tasks of the cluster, each as soon as its inputs are done.
     */
    void runAll(StageGraph graph, StageCluster cluster) throws IOException {
        store.requireLayout();
        writeGraph(graph);
        if (cluster == null) {
            for (StageGraph.Stage stage : graph.stages()) {
                run(stage);
                stage.afterDone().run();
            }
        } else {
            runOn(cluster, graph);
        }
    }

    /**
     * Reuses the stage when its {@code done.json} still matches, else runs its work (continuing its checkpoint
     * under resume), records it and times it.
     */
    StageStore.Done run(StageGraph.Stage stage) throws IOException {
        StageStore.Key key = stage.key();
        StageStore.Done done = reused(stage);
        if (done != null) {
            return done;
        }
        boolean continues = store.prepare(key, stage.checkpoint(), context.resume());
        if (continues) {
            clock.note(key.kind(), key.label() + " continues from its checkpoint");
        }
        clock.start(key.kind(), stage.description(), stage.units());
        StageStore.Finished finished = stage.work().run(store.dir(key), context.withResume(continues));
        done = store.markDone(key, finished);
        clock.finish(key.kind(), finished.seconds(), stage.units());
        onStageDone.accept(key);
        return done;
    }

    /** The record of a stage whose {@code done.json} still matches, reported as reused; null when it must run. */
    private StageStore.Done reused(StageGraph.Stage stage) throws IOException {
        StageStore.Done done = store.done(stage.key());
        if (done != null) {
            clock.cached(stage.key().kind(), stage.key().label(), done.seconds(), stage.units());
        }
        return done;
    }

    /** The record of a stage that is done; for reading results once the graph has run. */
    StageStore.Done done(StageStore.Key key) throws IOException {
        StageStore.Done done = store.done(key);
        if (done == null) {
            throw new IllegalStateException("stage " + key.label() + " is not done");
        }
        return done;
    }

    /**
     * {@code stages/graph.json}: every stage with its directory and the stages it reads, for tools that plan
     * runs elsewhere (bench/cluster_predict.py prices the study on N workers from it and the stages' times).
     */
    private void writeGraph(StageGraph graph) throws IOException {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (StageGraph.Stage stage : graph.stages()) {
            nodes.add(Map.of("kind", stage.key().kind(), "label", stage.key().label(), "hash", stage.key().hash(),
                    "dir", out.relativize(store.dir(stage.key())).toString(),
                    "inputs", stage.inputs().stream().filter(graph::contains).map(StageStore.Key::hash).toList()));
        }
        Json.write(out.resolve("stages").resolve(GRAPH), Map.of("stages", nodes, "provenance", provenance("none")));
    }

    private void runOn(StageCluster cluster, StageGraph graph) throws IOException {
        clock.shareWorkAmong(cluster.slots());
        Set<String> done = new HashSet<>();
        List<StageGraph.Stage> waiting = new ArrayList<>();
        for (StageGraph.Stage stage : graph.stages()) {
            if (reused(stage) != null) {
                stage.afterDone().run();
                done.add(stage.key().hash());
            } else {
                waiting.add(stage);
            }
        }
        Map<CompletableFuture<StageCluster.TaskRun>, StageGraph.Stage> running = new LinkedHashMap<>();
        Map<StageGraph.Stage, Long> submitted = new HashMap<>();
        while (!waiting.isEmpty() || !running.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                StageGraph.Stage stage = it.next();
                if (stage.inputs().stream().allMatch(input -> done.contains(input.hash()) || !graph.contains(input))) {
                    it.remove();
                    // here, not on the worker: a retried task then continues whatever checkpoint the lost one left
                    store.prepare(stage.key(), stage.checkpoint(), context.resume());
                    running.put(cluster.submit(task(stage)), stage);
                    submitted.put(stage, System.nanoTime());
                    clock.start(stage.key().kind(), stage.description() + " · " + running.size()
                            + " submitted, " + waiting.size() + " waiting", stage.units());
                }
            }
            awaitAny(running.keySet());
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (!entry.getKey().isDone()) {
                    continue;
                }
                it.remove();
                StageGraph.Stage stage = entry.getValue();
                StageCluster.TaskRun ran = result(entry.getKey(), task(stage), running.keySet());
                StageStore.Done finished = done(stage.key());
                clock.finish(stage.key().kind(), finished.seconds(), stage.units());
                // submitted → done on the driver includes waiting for a free slot; the worker's time does not
                clock.note(stage.key().kind(), String.format(Locale.ROOT,
                        "%s done on %s · stage %.1f s, task %.1f s on the worker, %.1f s since submitted",
                        stage.key().label(), ran.worker(), finished.seconds(), ran.seconds(),
                        (System.nanoTime() - submitted.remove(stage)) / 1e9));
                onStageDone.accept(stage.key());
                stage.afterDone().run();
                done.add(stage.key().hash());
            }
        }
    }

    private StageTask task(StageGraph.Stage stage) {
        return new StageTask(out.toAbsolutePath().toString(), stage.key().kind(), stage.key().label(),
                stage.key().hash(), context.command(), context.device().spec());
    }

    private static void awaitAny(Set<CompletableFuture<StageCluster.TaskRun>> futures) {
        CompletableFuture.anyOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    /**
     * Where and how long a finished task ran; a failed task cancels the others and fails the study with the error its
     * stage recorded (else the cluster's).
     */
    private static StageCluster.TaskRun result(CompletableFuture<StageCluster.TaskRun> future, StageTask task,
            Set<CompletableFuture<StageCluster.TaskRun>> others) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        } catch (ExecutionException e) {
            others.forEach(f -> f.cancel(true));
            RuntimeException recorded = task.recordedError();
            if (recorded != null) {
                throw recorded;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** The study's directory. */
    Path out() {
        return out;
    }

    Path dir(StageStore.Key key) {
        return store.dir(key);
    }

    StageClock clock() {
        return clock;
    }

    /** The study's provenance now; {@code device} is what the stage at hand computed on. */
    Provenance provenance(String device) {
        return Provenance.capture(device, context.command());
    }
}
