package org.proxynas.nas.search;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * What a step needs besides the model and the batches.
 *
 * @param manager owns every array the step creates; closed by the caller after the step
 * @param weightLr the weights' learning rate this epoch (DARTS' ξ in the unrolled step)
 * @param updateArchitecture false while the architecture is held fixed (warm-up epochs)
 * @param random the step's own generator, derived from (seed, epoch, step) so a resumed run replays it
 */
public record StepContext(NDManager manager, int epoch, double weightLr, boolean updateArchitecture,
        SplittableRandom random) {}
