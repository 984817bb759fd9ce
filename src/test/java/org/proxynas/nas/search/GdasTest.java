package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.nas.space.CellLayout;
import org.proxynas.nas.space.GdasReductionCell;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.Primitives;
import org.proxynas.nas.space.SearchNetwork;

class GdasTest {
    /** Cell, edge and operation in a supernet parameter name, as in ...cell1_04edge2_05sep_conv_3x3_... */
    private static final Pattern EDGE_OPERATION =
            Pattern.compile("cell(\\d+)_\\d+edge(\\d+)_\\d\\d([a-z_0-9]+?)_\\d\\d");

    /**
     * Counts the operations that run by their batch-norm statistics, which a training pass moves: with
     * {@code none} and {@code skip_connect} (the two without batch norm) made too unlikely to be drawn,
     * every edge of every cell runs exactly one operation per pass, the sampled one.
     */
    @Test
    void exactlyOneOperationPerEdgeRunsInAForwardPass() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager root = NDManager.newBaseManager()) {
            SearchNetwork network = SearchFixtures.tinyNetwork();
            try (SearchModel model = SearchFixtures.tinyModel(root, network, 4);
                    Batch train = SearchFixtures.randomBatch(root, 8, 1);
                    Batch val = SearchFixtures.randomBatch(root, 8, 2);
                    NDManager m = root.newSubManager()) {
                forbid(model.architecture(), List.of(Primitives.NONE, "skip_connect"), m);
                Gdas.Sample sample = Gdas.Sample.draw(model.architecture().snapshot(), new SplittableRandom(7));

                Map<String, float[]> before = runningMeans(network);
                model.loss(m, train, sample.oneHot(m));
                Map<String, Set<String>> ran = operationsThatRan(before, runningMeans(network));
                assertThat(ran).hasSize(3 * 5); // 3 cells of 5 edges
                ran.forEach((edge, ops) -> {
                    int cell = Integer.parseInt(edge.split(":")[0]);
                    int e = Integer.parseInt(edge.split(":")[1]);
                    int[] picked = CellLayout.isReduction(cell, 3) ? sample.reduce() : sample.normal();
                    assertThat(ops).as("cell %d edge %d", cell, e).containsExactly(Primitives.NAMES.get(picked[e]));
                });

                before = runningMeans(network);
                new Gdas(epoch -> 10, false).step(model, train, val, new StepContext(m, 0, 0.025, false,
                        new SplittableRandom(8)));
                operationsThatRan(before, runningMeans(network))
                        .forEach((edge, ops) -> assertThat(ops).as("edge " + edge).hasSize(1));
            }
        }
    }

    /** Gumbel-max samples: one-hot rows, drawn as often as softmax(α) says; the straight-through weights too. */
    @Test
    void samplesAreOneHotAndFollowSoftmaxAlpha() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager root = NDManager.newBaseManager();
                SearchModel model = SearchFixtures.tinyModel(root, 4);
                NDManager m = root.newSubManager()) {
            ArchitectureParameters arch = model.architecture();
            set(arch.tensors().get(0), (e, k) -> 0.4 * k - 0.1 * e, m);
            ArchitectureSnapshot now = arch.snapshot();
            SplittableRandom rng = new SplittableRandom(11);
            int draws = 4000;
            int[] counts = new int[Primitives.NAMES.size()];
            for (int d = 0; d < draws; d++) {
                counts[Gdas.Sample.draw(now, rng).normal()[2]]++;
            }
            for (int k = 0; k < counts.length; k++) {
                assertThat((double) counts[k] / draws).as("op " + k).isCloseTo(now.normal()[2][k], within(0.025));
            }

            Gdas.Sample sample = Gdas.Sample.draw(now, rng);
            for (int t = 0; t < 2; t++) {
                int[] picked = t == 0 ? sample.normal() : sample.reduce();
                float[][] exact = ArchitectureParameters.rows(sample.oneHot(m).weights().get(t));
                float[][] straight = ArchitectureParameters.rows(sample.straightThrough(arch, 10, m).weights().get(t));
                for (int e = 0; e < picked.length; e++) {
                    for (int k = 0; k < exact[e].length; k++) {
                        float expected = k == picked[e] ? 1 : 0;
                        assertThat(exact[e][k]).isEqualTo(expected);
                        assertThat(straight[e][k]).isCloseTo(expected, within(1e-6f));
                    }
                }
            }
        }
    }

    /**
     * The straight-through gradient of α is the derivative of the loss with the weights h(α) = onehot +
     * p(α) − p(α₀) at α₀, the sample and its noise held fixed: finite, and equal to a central difference of
     * that function along a random direction of α. τ = 1 so the gradient is not scaled away.
     */
    @Test
    void alphaGradientIsFiniteAndMatchesAFiniteDifference() {
        Engine.getInstance().setRandomSeed(3);
        double tau = 1;
        float h = 1e-3f;
        try (NDManager root = NDManager.newBaseManager();
                SearchModel model = SearchFixtures.tinyModel(root, 4);
                Batch batch = SearchFixtures.randomBatch(root, 16, 5);
                NDManager m = root.newSubManager()) {
            ArchitectureParameters arch = model.architecture();
            Gdas.Sample sample = Gdas.Sample.draw(arch.snapshot(), new SplittableRandom(2));
            arch.zeroGradients();
            try (NDManager phase = m.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(model.loss(phase, batch, sample.straightThrough(arch, tau, phase)));
            }
            List<NDArray> gradient = arch.gradientCopies(m);
            for (NDArray g : gradient) {
                assertThat(g.isInfinite().any().getBoolean() || g.isNaN().any().getBoolean()).isFalse();
            }

            List<NDArray> direction = randomDirection(arch.tensors(), m);
            List<NDArray> p0 = probabilities(arch, sample, tau, m);
            double analytic = 0;
            for (int t = 0; t < 2; t++) {
                analytic += gradient.get(t).mul(direction.get(t)).sum().getFloat();
            }
            double numeric = (surrogateLoss(model, batch, sample, p0, direction, h, tau, m)
                    - surrogateLoss(model, batch, sample, p0, direction, -h, tau, m)) / (2 * h);
            assertThat(Math.abs(numeric)).isGreaterThan(1e-3);
            assertThat(analytic).isCloseTo(numeric, within(0.03 * Math.abs(numeric)));
        }
    }

    /** Node 0's two strongest pairs both read input 0; node 1's strongest read inputs 2 and 0. */
    @Test
    void theGenotypeTakesEachNodesTwoStrongestOperationInputPairs() {
        float[][] softmax = new float[5][8];
        for (float[] row : softmax) {
            java.util.Arrays.fill(row, 0.1f);
            row[0] = 0.9f; // none never counts
        }
        softmax[0][4] = 0.5f; // node 0, input 0: sep_conv_3x3
        softmax[0][5] = 0.4f; // node 0, input 0: sep_conv_5x5
        softmax[1][3] = 0.3f; // node 0, input 1: skip_connect, third
        softmax[4][6] = 0.6f; // node 1, input 2: dil_conv_3x3
        softmax[2][1] = 0.2f; // node 1, input 0: max_pool_3x3
        ArchitectureSnapshot arch = new ArchitectureSnapshot(softmax, softmax, null, null);
        Genotype g = new Gdas(epoch -> 1, false).genotype(arch, 2);
        assertThat(g.normal()).containsExactly(new Genotype.Edge("sep_conv_3x3", 0),
                new Genotype.Edge("sep_conv_5x5", 0),
                new Genotype.Edge("dil_conv_3x3", 2),
                new Genotype.Edge("max_pool_3x3", 0));
        assertThat(g.normalConcat()).containsExactly(2, 3);
    }

    /** GDAS-FRC: the search runs with the fixed reduction cell and reports it as the genotype's reduction cell. */
    @Test
    void aFixedReductionSearchReportsTheFixedCell(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path subset = SearchFixtures.subsetFile(tmp, SearchFixtures.spread(64));
        SearchResult r = SearchJob.run(SearchFixtures.tiny("gdas", subset, tmp.resolve("frc"))
                .optGdas(new SearchConfig.GdasSettings(10, 0.1, "fixed")).build());
        assertThat(r.genotype().reduce()).isEqualTo(GdasReductionCell.EDGES);
        assertThat(r.genotype().reduceConcat()).isEqualTo(GdasReductionCell.CONCAT);
        assertThat(r.genotype().normal()).hasSize(4).noneMatch(e -> e.op().equals(Primitives.NONE));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SearchFixtures.tiny("gdas", subset, tmp)
                        .optChannels(6).optGdas(new SearchConfig.GdasSettings(10, 0.1, "fixed")).build())
                .hasMessageContaining("channels must be a multiple of 4");
    }

    /** The loss with weights onehot + p(α + s·u) − p₀ on the sample's operations; α is put back. */
    private static double surrogateLoss(SearchModel model, Batch batch, Gdas.Sample sample, List<NDArray> p0,
            List<NDArray> u, float s, double tau, NDManager m) {
        List<NDArray> alpha = model.architecture().tensors();
        List<NDArray> saved = SearchFixtures.copies(alpha, m);
        for (int t = 0; t < 2; t++) {
            alpha.get(t).addi(u.get(t).mul(s));
        }
        List<NDArray> p = probabilities(model.architecture(), sample, tau, m);
        NDList oneHot = sample.oneHot(m).weights();
        NDList weights = new NDList(oneHot.get(0).add(p.get(0)).sub(p0.get(0)),
                oneHot.get(1).add(p.get(1)).sub(p0.get(1)));
        double loss = model.loss(m, batch, new Mixing(weights, sample.oneHot(m).ops())).getFloat();
        SearchFixtures.restore(alpha, saved);
        return loss;
    }

    private static List<NDArray> probabilities(ArchitectureParameters arch, Gdas.Sample sample, double tau,
            NDManager m) {
        NDArray inverseTau = m.full(new Shape(), (float) (1 / tau));
        return List.of(
                Gdas.Sample.probabilities(arch.tensors().get(0), sample.gumbelNormal(), inverseTau, m),
                Gdas.Sample.probabilities(arch.tensors().get(1), sample.gumbelReduce(), inverseTau, m));
    }

    private static List<NDArray> randomDirection(List<NDArray> like, NDManager m) {
        Random rng = new Random(17);
        List<NDArray> out = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            float[] v = new float[(int) like.get(t).size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            out.add(m.create(v, like.get(t).getShape()));
        }
        return out;
    }

    /** α of both cell types with the given operations' columns at −30: they are never drawn. */
    private static void forbid(ArchitectureParameters arch, List<String> ops, NDManager m) {
        for (int t = 0; t < 2; t++) {
            set(arch.tensors().get(t), (e, k) -> ops.contains(Primitives.NAMES.get(k)) ? -30 : 0.01 * k, m);
        }
    }

    private interface Entry {
        double at(int edge, int op);
    }

    private static void set(NDArray alpha, Entry value, NDManager m) {
        long[] shape = alpha.getShape().getShape();
        float[][] rows = new float[(int) shape[0]][(int) shape[1]];
        for (int e = 0; e < rows.length; e++) {
            for (int k = 0; k < rows[e].length; k++) {
                rows[e][k] = (float) value.at(e, k);
            }
        }
        alpha.subi(alpha).addi(ArchitectureParameters.matrix(m, rows));
    }

    /** Every operation's batch-norm running mean, by parameter name. */
    private static Map<String, float[]> runningMeans(SearchNetwork network) {
        Map<String, float[]> out = new HashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (p.getKey().endsWith("runningMean") && EDGE_OPERATION.matcher(p.getKey()).find()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    /** Per "cell:edge", the operations whose statistics moved. */
    private static Map<String, Set<String>> operationsThatRan(Map<String, float[]> before, Map<String, float[]> after) {
        Map<String, Set<String>> ran = new HashMap<>();
        for (Map.Entry<String, float[]> entry : before.entrySet()) {
            Matcher name = EDGE_OPERATION.matcher(entry.getKey());
            assertThat(name.find()).isTrue();
            Set<String> ops = ran.computeIfAbsent(name.group(1) + ":" + name.group(2), k -> new HashSet<>());
            if (!java.util.Arrays.equals(entry.getValue(), after.get(entry.getKey()))) {
                ops.add(name.group(3));
            }
        }
        return ran;
    }
}
