package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.learn.AdamUpdater;
import org.proxynas.learn.SgdUpdater;
import org.proxynas.nas.space.Primitives;

/**
 * The unrolled architecture gradient is the derivative of {@code L_val(w'(α), α)}, w' one SGD step
 * (momentum, weight decay) at ξ: checked against a central difference of that function along a random
 * direction of α. The supernet here is a smooth stand-in with the real one's interface (mixing weights
 * in, logits out): DARTS' ReLU/max-pool supernet is only piecewise smooth, so on a tiny batch a
 * difference quotient there measures kinks rather than the derivative. ξ is large so the second-order
 * term is a sizeable part of the gradient: the first-order part alone must miss.
 */
class SecondOrderGradientTest {
    private static final double XI = 0.5;
    private static final float H = 1e-2f;
    private static final int OPS = Primitives.NAMES.size();

    @Test
    void unrolledHypergradientMatchesANumericalDerivative() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager root = NDManager.newBaseManager()) {
            SmoothSupernet net = new SmoothSupernet();
            net.initialize(root, DataType.FLOAT32, new Shape(1, 1, 8, 8), new Shape(5, OPS), new Shape(5, OPS));
            ArchitectureParameters arch = ArchitectureParameters.initialize(root, 2, OPS, false, 5);
            SgdUpdater sgd = SgdUpdater.builder().optMomentum(0.9).optWeightDecay(3e-4).build();
            AdamUpdater adam = AdamUpdater.builder().optBetas(0.5, 0.999).optWeightDecay(1e-3).build();
            try (SearchModel model = new SearchModel(root, net, arch, sgd, adam, 3e-4, 5);
                    Batch train = batch(root, 1);
                    Batch val = batch(root, 2);
                    NDManager m = root.newSubManager()) {
                model.weightStep(m, train, model.mixing(m), 0.1); // so the momentum buffer is in play

                List<NDArray> direction = directions(m, arch.tensors(), 7);
                double analytic = dot(SecondOrderDarts.hypergradient(model, train, val, XI, m), direction);
                double firstOrderPart = dot(valGradientAtUnrolledWeights(model, train, val, m), direction);
                double numeric = (unrolledValLoss(model, train, val, direction, H, m)
                        - unrolledValLoss(model, train, val, direction, -H, m)) / (2 * H);

                double error = Math.abs(analytic - numeric);
                assertThat(error).isLessThan(0.02 * Math.abs(numeric));
                assertThat(Math.abs(firstOrderPart - numeric)).isGreaterThan(5 * error);
            }
        }
    }

    /** {@code L_val(w'(α + s·u), α + s·u)}, leaving model and α as they were. */
    private static double unrolledValLoss(SearchModel model, Batch train, Batch val, List<NDArray> u, float s,
            NDManager m) {
        List<NDArray> alpha = model.architecture().tensors();
        List<NDArray> tensors = model.allTensors();
        List<NDArray> savedAlpha = SearchFixtures.copies(alpha, m);
        List<NDArray> saved = SearchFixtures.copies(tensors, m);
        for (int i = 0; i < alpha.size(); i++) {
            alpha.get(i).addi(u.get(i).mul(s));
        }
        SecondOrderDarts.unroll(model, train, XI, m);
        double loss = model.loss(m, val, model.mixing(m)).getFloat();
        SearchFixtures.restore(tensors, saved);
        SearchFixtures.restore(alpha, savedAlpha);
        return loss;
    }

    /** ∂α L_val(w', α) alone: the hypergradient without its Hessian term. */
    private static List<NDArray> valGradientAtUnrolledWeights(SearchModel model, Batch train, Batch val,
            NDManager m) {
        List<NDArray> tensors = model.allTensors();
        List<NDArray> saved = SearchFixtures.copies(tensors, m);
        SecondOrderDarts.unroll(model, train, XI, m);
        model.architecture().zeroGradients();
        try (var gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(model.loss(m, val, model.mixing(m)));
        }
        List<NDArray> grads = model.architecture().gradientCopies(m);
        SearchFixtures.restore(tensors, saved);
        return grads;
    }

    /**
     * Logits = head(Σ_k (wN[0,k] + wR[1,k]) · tanh(op_k(x))): eight linear "operations" mixed by two rows
     * of the architecture, so α and the weights interact as in a supernet, smoothly.
     */
    static final class SmoothSupernet extends AbstractBlock {
        private final List<Block> ops = new ArrayList<>();
        private final Block head;

        SmoothSupernet() {
            for (int k = 0; k < OPS; k++) {
                ops.add(addChildBlock("op" + k, Linear.builder().setUnits(6).build()));
            }
            head = addChildBlock("head", Linear.builder().setUnits(3).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.get(0).reshape(inputs.get(0).getShape().get(0), -1);
            NDArray weights = inputs.get(1).get(0).add(inputs.get(2).get(1));
            NDArray mixed = null;
            for (int k = 0; k < OPS; k++) {
                NDArray h = ops.get(k).forward(store, new NDList(x), training, params).singletonOrThrow().tanh();
                NDArray term = h.mul(weights.get(k));
                mixed = mixed == null ? term : mixed.add(term);
            }
            return head.forward(store, new NDList(mixed), training, params);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape flat = new Shape(inputShapes[0].get(0), inputShapes[0].size() / inputShapes[0].get(0));
            for (Block op : ops) {
                op.initialize(manager, dataType, flat);
            }
            head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 6));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 3)};
        }
    }

    private static Batch batch(NDManager root, long seed) {
        NDManager bm = root.newSubManager();
        Random rng = new Random(seed);
        int n = 16;
        float[] pixels = new float[n * 64];
        long[] labels = new long[n];
        int[] indices = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(3);
            indices[i] = i;
        }
        return new Batch(bm.create(pixels, new Shape(n, 1, 8, 8)), bm.create(labels), indices);
    }

    /** A random unit direction over all architecture tensors together. */
    private static List<NDArray> directions(NDManager m, List<NDArray> like, long seed) {
        Random rng = new Random(seed);
        List<float[]> raw = new ArrayList<>();
        double norm = 0;
        for (NDArray t : like) {
            float[] v = new float[(int) t.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
                norm += v[i] * v[i];
            }
            raw.add(v);
        }
        List<NDArray> out = new ArrayList<>();
        for (int k = 0; k < like.size(); k++) {
            float[] v = raw.get(k);
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) Math.sqrt(norm);
            }
            out.add(m.create(v, like.get(k).getShape()));
        }
        return out;
    }

    private static double dot(List<NDArray> a, List<NDArray> b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.get(i).mul(b.get(i)).sum().getFloat();
        }
        return s;
    }
}
