package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.proxynas.data.DataLoader.Batch;

class SdartsAdversarialTest {
    private static final double EPSILON = 0.3;

    /**
     * On a fixed batch the attack ends with a higher training loss than softmax(α) (both measured here,
     * independently of the attack's own bookkeeping), and no entry moved by more than ε while every row
     * stays a distribution.
     */
    @Test
    void theAttackRaisesTheLossWithinTheBall() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager root = NDManager.newBaseManager();
                SearchModel model = SearchFixtures.tinyModel(root, 4);
                Batch batch = SearchFixtures.randomBatch(root, 16, 9);
                NDManager m = root.newSubManager()) {
            ArchitectureSnapshot clean = model.architecture().snapshot();
            SdartsAdversarial.Attack attack = SdartsAdversarial.attack(model, batch, EPSILON, 7,
                    new SplittableRandom(1), m);

            double cleanLoss = model.inferenceLoss(m, batch, model.mixing(m)).getFloat();
            double perturbedLoss = model.inferenceLoss(m, batch, attack.mixing(m)).getFloat();
            assertThat(perturbedLoss).isGreaterThan(cleanLoss);
            assertThat(attack.perturbedLoss()).isCloseTo(perturbedLoss, within(1e-6));

            float[][][] perturbed = {attack.normal(), attack.reduce()};
            float[][][] center = {clean.normal(), clean.reduce()};
            double largest = 0;
            for (int t = 0; t < 2; t++) {
                for (int e = 0; e < center[t].length; e++) {
                    double sum = 0;
                    for (int k = 0; k < center[t][e].length; k++) {
                        double delta = Math.abs(perturbed[t][e][k] - center[t][e][k]);
                        assertThat(delta).isLessThanOrEqualTo(EPSILON + 1e-6);
                        assertThat(perturbed[t][e][k]).isGreaterThanOrEqualTo(0f);
                        largest = Math.max(largest, delta);
                        sum += perturbed[t][e][k];
                    }
                    assertThat(sum).isCloseTo(1, within(1e-5));
                }
            }
            assertThat(largest).as("the attack moved").isGreaterThan(EPSILON / 2);
            assertThat(attack.perturbation()).isCloseTo(largest, within(1e-6));
        }
    }

    /**
     * The projection returns the nearest row within ε of the center on the simplex: a feasible row is its
     * own projection, and from far away each entry is clamped to the ball with one common shift.
     */
    @Test
    void projectionLandsInTheBallOnTheSimplex() {
        float[] center = {0.05f, 0.5f, 0.2f, 0.25f};
        double[] inside = {0.1, 0.45, 0.2, 0.25};
        assertThat(SdartsAdversarial.project(inside, center, 0.1))
                .containsExactly(new float[] {0.1f, 0.45f, 0.2f, 0.25f}, within(1e-7f));

        float[] far = SdartsAdversarial.project(new double[] {3, -2, 0.2, 0.25}, center, 0.1);
        // entries 0 and 1 hit the ball (0.15, 0.4), the shift τ then brings 2 and 3 to 0.45 in total
        assertThat(far).containsExactly(new float[] {0.15f, 0.4f, 0.2f, 0.25f}, within(1e-6f));

        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 100; trial++) {
            double[] y = rng.doubles(4, -1, 2).toArray();
            float[] w = SdartsAdversarial.project(y, center, 0.2);
            double sum = 0;
            for (int k = 0; k < 4; k++) {
                assertThat((double) Math.abs(w[k] - center[k])).isLessThanOrEqualTo(0.2 + 1e-6);
                assertThat(w[k]).isGreaterThanOrEqualTo(0f);
                sum += w[k];
            }
            assertThat(sum).isCloseTo(1, within(1e-6));
        }
    }

    /** The weight step trains on the perturbed mixing, not on softmax(α), and leaves α where it was. */
    @Test
    void theWeightsTrainOnThePerturbedMixing() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager root = NDManager.newBaseManager();
                SearchModel model = SearchFixtures.tinyModel(root, 4);
                Batch train = SearchFixtures.randomBatch(root, 16, 9);
                Batch val = SearchFixtures.randomBatch(root, 16, 10);
                NDManager m = root.newSubManager()) {
            float[][] alphaBefore = ArchitectureParameters.rows(model.architecture().tensors().get(0));
            List<NDArray> saved = SearchFixtures.copies(model.allTensors(), m);
            SdartsAdversarial.Attack attack = SdartsAdversarial.attack(model, train, EPSILON, 7,
                    new SplittableRandom(1), m);
            double perturbedLoss = model.loss(m, train, attack.mixing(m)).getFloat();
            double cleanLoss = model.loss(m, train, model.mixing(m)).getFloat();
            SearchFixtures.restore(model.allTensors(), saved); // undo the batch-norm statistics those passes moved

            StepStats stats = new SdartsAdversarial(epoch -> EPSILON, 7).step(model, train, val,
                    new StepContext(m, 0, 0.025, false, new SplittableRandom(1)));

            assertThat(Math.abs(perturbedLoss - cleanLoss)).isGreaterThan(1e-3);
            assertThat(stats.loss()).isCloseTo(perturbedLoss, within(1e-5));
            assertThat(ArchitectureParameters.rows(model.architecture().tensors().get(0))).isDeepEqualTo(alphaBefore);
        }
    }
}
