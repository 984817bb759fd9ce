package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.proxynas.data.DataLoader.Batch;

/**
 * SDARTS-RS (Chen and Hsieh 2020, "Stabilizing DARTS with amended gradient estimation on architectural
 * mixing"): the architecture step is first-order DARTS'; the weight step trains the supernet under a
 * randomly perturbed architecture so the weights become robust to small changes of it, which smooths the
 * validation loss landscape in α. As in SmoothDARTS' {@code Random_alpha}: the noise is added to the
 * softmaxed α (not to α), U(−ε, ε) per entry, then each row is clipped to [0, 1] and renormalized to sum
 * to 1 (a row clipped to all zeros puts 1 on its former maximum); the supernet sees these weights
 * directly, and α itself is untouched.
 */
final class SdartsRandomSmoothing implements SearchAlgorithm {
    private final IntToDoubleFunction epsilonAt;

    /** @param epsilonAt the noise half-width ε of each epoch */
    SdartsRandomSmoothing(IntToDoubleFunction epsilonAt) {
        this.epsilonAt = epsilonAt;
    }

    @Override
    public String name() {
        return "sdarts-rs";
    }

    @Override
    public StepStats step(SearchModel model, Batch train, Batch val, StepContext context) {
        if (context.updateArchitecture()) {
            model.firstOrderArchitectureStep(context.manager(), val);
        }
        ArchitectureSnapshot now = model.architecture().snapshot();
        double epsilon = epsilonAt.applyAsDouble(context.epoch());
        NDManager m = context.manager();
        Mixing mixing = Mixing.dense(new NDList(
                perturbed(m, now.normal(), epsilon, context.random()),
                perturbed(m, now.reduce(), epsilon, context.random())));
        return model.weightStep(m, train, mixing, context.weightLr());
    }

    private static NDArray perturbed(NDManager m, float[][] softmaxed, double epsilon,
            SplittableRandom rng) {
        float[][] rows = new float[softmaxed.length][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = perturbRow(softmaxed[r], epsilon, rng);
        }
        return ArchitectureParameters.matrix(m, rows);
    }

    /** One row of SmoothDARTS' {@code Random_alpha} followed by its {@code clip()}. */
    static float[] perturbRow(float[] weights, double epsilon, SplittableRandom rng) {
        int argMax = 0;
        float[] out = new float[weights.length];
        for (int k = 0; k < weights.length; k++) {
            double noise = epsilon == 0 ? 0 : rng.nextDouble(-epsilon, epsilon);
            out[k] = (float) (weights[k] + noise);
            if (out[k] > out[argMax]) {
                argMax = k;
            }
        }
        double sum = 0;
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.min(1f, Math.max(0f, out[k]));
            sum += out[k];
        }
        if (sum == 0) {
            out[argMax] = 1f;
            sum = 1;
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) (out[k] / sum);
        }
        return out;
    }
}
