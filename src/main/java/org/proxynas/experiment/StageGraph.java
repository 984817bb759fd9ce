package org.proxynas.experiment;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.common.UserError;

/**
 * The stages of a study, each with the stages it reads, built before anything runs. Stages are added after
 * their inputs, so the order of {@link #stages} runs every stage after its inputs: the local scheduler runs them
 * one after another in that order; a cluster runs every stage whose inputs are done at once. A stage added twice
 * (an experiment's ranking section reuses the searches' proxies) is kept once.
 */
final class StageGraph {
    private final Map<String, Stage> stages = new LinkedHashMap<>();

    /**
     * One stage: its key, the keys of the stages whose outputs it reads, its checkpoint (a path inside its
     * directory; null for stages that never checkpoint), its line on the progress display, its share of its
     * kind's work (for the ETA), its work, and what to do on the driver once it is done (warn, for instance).
     */
    record Stage(StageStore.Key key, List<StageStore.Key> inputs, String checkpoint, String description,
            double units, Stages.Work work, Runnable afterDone) {
        Stage {
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * Adds a stage reading {@code inputs}: stages added before it, or keys of files the study was given (the
     * ranking study's scores), which are there before it runs. A stage already in the graph is kept as is.
     */
    Stage add(StageStore.Key key, List<StageStore.Key> inputs, String checkpoint, String description, double units,
            Stages.Work work) {
        return add(new Stage(key, inputs, checkpoint, description, units, work, () -> {}));
    }

    Stage add(Stage stage) {
        return stages.computeIfAbsent(stage.key().hash(), h -> stage);
    }

    /** Whether {@code key} is a stage of this graph (and not a given file). */
    boolean contains(StageStore.Key key) {
        return stages.containsKey(key.hash());
    }

    /** Runs {@code action} on the driver once the stage {@code key} is done, after what it ran before. */
    void afterDone(StageStore.Key key, Runnable action) {
        Stage s = stages.get(key.hash());
        Runnable before = s.afterDone();
        stages.put(key.hash(), new Stage(s.key(), s.inputs(), s.checkpoint(), s.description(), s.units(), s.work(),
                () -> {
                    before.run();
                    action.run();
                }));
    }

    /** Every stage, each after its inputs. */
    Collection<Stage> stages() {
        return List.copyOf(stages.values());
    }

    /** The stage whose key hash is {@code hash}, as a worker looks it up. */
    Stage stage(String hash) {
        Stage s = stages.get(hash);
        if (s == null) {
            throw new UserError("no stage " + hash + " in this study: its config changed after the stage was sent");
        }
        return s;
    }
}
