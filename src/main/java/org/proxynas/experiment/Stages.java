package org.proxynas.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;

/**
 * The one cache-or-run path of a study directory: every stage of an experiment and of a ranking study goes
 * through {@link #run}. A stage is reused when its {@code done.json} still matches its key ({@link StageStore});
 * otherwise it runs, continuing its checkpoint when the context resumes, and is recorded in the store and timed
 * on the progress line. Two studies over one directory therefore share every stage they have in common.
 */
final class Stages {
    private final StageStore store;
    private final StageClock clock;
    private final RunContext context;
    private Consumer<StageStore.Key> onStageDone = key -> {};

    /** Stages under {@code out}; {@code context.resume()} says whether interrupted stages continue. */
    Stages(Path out, RunContext context, StageClock clock) {
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
     * Reuses the stage when its {@code done.json} still matches, else runs {@code work} (continuing its
     * {@code checkpoint}, a path inside its directory, under resume), records it and times it; {@code units}
     * is its share of its kind's work, for the ETA.
     */
    StageStore.Done run(StageStore.Key key, String checkpoint, String description, double units, Work work)
            throws IOException {
        StageStore.Done done = store.done(key);
        if (done != null) {
            clock.cached(key.kind(), key.label(), done.seconds(), units);
            return done;
        }
        boolean continues = store.prepare(key, checkpoint, context.resume());
        clock.start(key.kind(), description, units);
        StageStore.Finished finished = work.run(store.dir(key), context.withResume(continues));
        done = store.markDone(key, finished);
        clock.finish(key.kind(), finished.seconds());
        onStageDone.accept(key);
        return done;
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
