package org.proxynas.nas.search;

import org.proxynas.data.DataLoader.Batch;

/**
 * One differentiable search algorithm: what it does in one step of the bilevel optimization. Every step
 * updates the architecture on a validation batch (unless {@link StepContext#updateArchitecture()} is
 * false, during a warm-up) and then the supernet weights on a training batch, as DARTS'
 * {@code train_search.train}.
 */
public interface SearchAlgorithm {

    /** The name users pass to {@code --algo}. */
    String name();

    /** The weight step's loss and hits on {@code train}. */
    StepStats step(SearchModel model, Batch train, Batch val, StepContext context);
}
