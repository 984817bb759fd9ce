package org.proxynas.nas.search;

import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SortedMap;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.learn.Checkpointable;
import org.proxynas.nas.space.Genotype;

/**
 * One differentiable search algorithm: what it does in one step of the bilevel optimization, and what it
 * adds at the end of an epoch. Every step updates the architecture on a validation batch (unless
 * {@link StepContext#updateArchitecture()} is false, during a warm-up) and the supernet weights on a
 * training batch, as DARTS' {@code train_search.train}. An algorithm that keeps state across epochs (SGAS'
 * decisions) saves it with the epoch checkpoint; the others need not override anything but {@link #step}.
 */
public interface SearchAlgorithm extends Checkpointable {

    /** The name users pass to {@code --algo}. */
    String name();

    /** The weight step's loss and hits on {@code train}. */
    StepStats step(SearchModel model, Batch train, Batch val, StepContext context);

    /**
     * Called after each epoch's training and validation, before the epoch is logged and checkpointed (SGAS
     * decides an edge here). Returns what the algorithm adds to the epoch's log line, or null for nothing.
     */
    default SortedMap<String, Object> endEpoch(SearchModel model, int epoch) {
        return null;
    }

    /** The supernet the end-of-epoch validation measures: the current mixture unless the algorithm samples. */
    default Mixing evaluationMixing(SearchModel model, NDManager step) {
        return model.mixing(step);
    }

    /** The cell found so far: DARTS' rule on the architecture weights unless the algorithm has its own. */
    default Genotype genotype(ArchitectureSnapshot architecture, int multiplier) {
        return Genotype.derive(architecture.normalForGenotype(), architecture.reduceForGenotype(), multiplier);
    }

    /** Nothing to save for an algorithm without state of its own. */
    @Override
    default void saveState(DataOutputStream out) throws IOException {}

    @Override
    default void loadState(DataInputStream in) throws IOException {}
}
