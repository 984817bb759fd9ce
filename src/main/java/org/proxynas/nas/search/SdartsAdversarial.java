package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import org.proxynas.data.DataLoader.Batch;

/**
 * SDARTS-ADV (Chen and Hsieh 2020, "Stabilizing DARTS with amended gradient estimation on architectural
 * mixing"): the architecture step is first-order DARTS'; before each weight step an adversary moves
 * softmax(α) within an L∞ ball of radius ε to maximize the training loss on the weight batch, and the
 * weights train on that mixing (α itself is untouched), which smooths the validation loss around α. As
 * SmoothDARTS' {@code Linf_PGD_alpha}: batch norm in inference mode during the attack, a random start
 * U(−ε, ε), {@code steps} (7) steps of 2ε/steps along the sign of the gradient, ε ramped linearly from
 * 0.03 to 0.3 over the epochs, and the unperturbed mixing kept when the attack ends with a lower loss.
 *
 * <p>One difference: after each step every perturbed row is projected exactly onto the rows that are
 * within ε of softmax(α) and on the simplex (w ≥ 0, Σw = 1). SmoothDARTS clamps to the ball and then clips
 * and renormalizes, which can leave the ball; here the perturbation never exceeds ε.
 */
final class SdartsAdversarial implements SearchAlgorithm {
    private static final int BISECTIONS = 60;
    private final IntToDoubleFunction epsilonAt;
    private final int steps;
    private final FirstOrderDarts darts = new FirstOrderDarts();
    private int attacks;
    private double perturbationSum;
    private double lossIncreaseSum;

    /**
     * @param epsilonAt the ball's radius in each epoch
     * @param steps projected gradient steps per attack
     */
    SdartsAdversarial(IntToDoubleFunction epsilonAt, int steps) {
        this.epsilonAt = epsilonAt;
        this.steps = steps;
    }

    @Override
    public String name() {
        return "sdarts-adv";
    }

    @Override
    public StepStats step(SearchModel model, Batch train, Batch val, StepContext context) {
        NDManager m = context.manager();
        if (context.updateArchitecture()) {
            model.firstOrderArchitectureStep(m, val);
        }
        Attack attack = attack(model, train, epsilonAt.applyAsDouble(context.epoch()), steps, context.random(), m);
        attacks++;
        perturbationSum += attack.perturbation();
        lossIncreaseSum += attack.perturbedLoss() - attack.cleanLoss();
        return model.weightStep(m, train, attack.mixing(m), context.weightLr());
    }

    /** The epoch's ε, and the attacks' mean L∞ perturbation and mean training-loss increase. */
    @Override
    public SortedMap<String, Object> endEpoch(SearchModel model, int epoch) {
        SortedMap<String, Object> info = new TreeMap<>();
        info.put("epsilon", epsilonAt.applyAsDouble(epoch));
        info.put("meanPerturbation", attacks == 0 ? 0 : perturbationSum / attacks);
        info.put("meanLossIncrease", attacks == 0 ? 0 : lossIncreaseSum / attacks);
        attacks = 0;
        perturbationSum = 0;
        lossIncreaseSum = 0;
        return info;
    }

    /**
     * The attack's result: the mixing the weights train on (rows of both cell types), its training loss and
     * that of the unperturbed mixing (both with batch norm in inference mode), and max |perturbation|.
     */
    record Attack(float[][] normal, float[][] reduce, double cleanLoss, double perturbedLoss, double perturbation) {
        Mixing mixing(NDManager m) {
            return Mixing.dense(weights(m, new float[][][] {normal, reduce}));
        }
    }

    /** SmoothDARTS' {@code Linf_PGD_alpha} on {@code batch}, around the current softmax(α). */
    static Attack attack(SearchModel model, Batch batch, double epsilon, int steps, SplittableRandom rng,
            NDManager m) {
        ArchitectureSnapshot now = model.architecture().snapshot();
        float[][][] clean = {now.normal(), now.reduce()};
        float[][][] w = new float[2][][];
        for (int t = 0; t < 2; t++) {
            w[t] = new float[clean[t].length][];
            for (int e = 0; e < clean[t].length; e++) {
                double[] start = new double[clean[t][e].length];
                for (int k = 0; k < start.length; k++) {
                    start[k] = clean[t][e][k] + (epsilon == 0 ? 0 : rng.nextDouble(-epsilon, epsilon));
                }
                w[t][e] = project(start, clean[t][e], epsilon);
            }
        }
        double stepSize = 2 * epsilon / steps;
        for (int s = 0; s < steps; s++) {
            float[][][] grad = lossGradient(model, batch, w, m);
            for (int t = 0; t < 2; t++) {
                for (int e = 0; e < w[t].length; e++) {
                    double[] moved = new double[w[t][e].length];
                    for (int k = 0; k < moved.length; k++) {
                        moved[k] = w[t][e][k] + stepSize * Math.signum(grad[t][e][k]);
                    }
                    w[t][e] = project(moved, clean[t][e], epsilon);
                }
            }
        }
        double cleanLoss = inferenceLoss(model, batch, clean, m);
        double perturbedLoss = inferenceLoss(model, batch, w, m);
        if (perturbedLoss < cleanLoss) {
            return new Attack(clean[0], clean[1], cleanLoss, cleanLoss, 0);
        }
        return new Attack(w[0], w[1], cleanLoss, perturbedLoss, maxDistance(w, clean));
    }

    private static double inferenceLoss(SearchModel model, Batch batch, float[][][] w, NDManager m) {
        try (NDManager phase = m.newSubManager()) {
            return model.inferenceLoss(phase, batch, Mixing.dense(weights(phase, w))).getFloat();
        }
    }

    /** ∂L/∂w of the inference-mode training loss, for both cell types' rows. */
    private static float[][][] lossGradient(SearchModel model, Batch batch, float[][][] w, NDManager m) {
        try (NDManager phase = m.newSubManager()) {
            NDList weights = weights(phase, w);
            for (NDArray a : weights) {
                a.setRequiresGradient(true);
            }
            model.backwardWithoutWeights(() -> model.inferenceLoss(phase, batch, Mixing.dense(weights)));
            float[][][] grad = new float[2][][];
            for (int t = 0; t < 2; t++) {
                grad[t] = ArchitectureParameters.rows(weights.get(t).getGradient());
            }
            return grad;
        }
    }

    /**
     * The point nearest to {@code y} among the rows w with |w − center|∞ ≤ ε, w ≥ 0 and Σw = 1: the clamp of
     * y − τ to [max(0, c − ε), min(1, c + ε)], with τ found by bisection so that the row sums to 1 (the
     * center itself is such a row, so τ exists).
     */
    static float[] project(double[] y, float[] center, double epsilon) {
        int n = y.length;
        double[] lo = new double[n];
        double[] hi = new double[n];
        double tauLo = Double.POSITIVE_INFINITY;
        double tauHi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            lo[k] = Math.max(0, center[k] - epsilon);
            hi[k] = Math.min(1, center[k] + epsilon);
            tauLo = Math.min(tauLo, y[k] - hi[k]);
            tauHi = Math.max(tauHi, y[k] - lo[k]);
        }
        for (int i = 0; i < BISECTIONS; i++) {
            double tau = (tauLo + tauHi) / 2;
            if (clampedSum(y, lo, hi, tau) > 1) {
                tauLo = tau;
            } else {
                tauHi = tau;
            }
        }
        double tau = (tauLo + tauHi) / 2;
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            out[k] = (float) Math.min(hi[k], Math.max(lo[k], y[k] - tau));
        }
        return out;
    }

    private static double clampedSum(double[] y, double[] lo, double[] hi, double tau) {
        double sum = 0;
        for (int k = 0; k < y.length; k++) {
            sum += Math.min(hi[k], Math.max(lo[k], y[k] - tau));
        }
        return sum;
    }

    /** Both cell types' rows as the supernet's mixing weights. */
    private static NDList weights(NDManager m, float[][][] w) {
        return new NDList(ArchitectureParameters.matrix(m, w[0]), ArchitectureParameters.matrix(m, w[1]));
    }

    private static double maxDistance(float[][][] a, float[][][] b) {
        double max = 0;
        for (int t = 0; t < a.length; t++) {
            for (int e = 0; e < a[t].length; e++) {
                for (int k = 0; k < a[t][e].length; k++) {
                    max = Math.max(max, Math.abs(a[t][e][k] - b[t][e][k]));
                }
            }
        }
        return max;
    }
}
