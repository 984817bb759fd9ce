package org.proxynas.nas.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchNetworkTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /**
     * Reference counts from PyTorch (torch 1.13), {@code sum(p.numel() for p in model.parameters())}:
     * DARTS model_search.Network(C=8, 10 classes, layers=5, in_channels=1) = 393,778 (count_params.py);
     * the same with PC-DARTS' MixedOp (operations on C//4 channels) = 66,154, computed once with the
     * reference operations.py and PC-DARTS' MixedOp definition.
     */
    @Test
    void parameterCountsEqualPyTorch() {
        assertThat(parameters(1)).isEqualTo(393_778L);
        assertThat(parameters(4)).isEqualTo(66_154L);
    }

    private static long parameters(int partial) {
        SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(8).optLayers(5)
                .optPartialChannels(partial).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16, 16));
        return BlockStats.trainableParameters(net);
    }

    /**
     * The same function as DARTS' model_search.Network(C=8, 10 classes, layers=5, in_channels=1) in
     * training mode with the {@link ReferenceWeights} weights and input [2, 1, 16, 16], alphas_normal[e, k]
     * = sin(0.7e + 0.3k), alphas_reduce[e, k] = cos(0.5e + 0.9k) (softmax over k): PyTorch 1.13 logits
     * below, printed by the reference script.
     */
    @Test
    void computesWhatDartsComputes() {
        double[][] reference = {
            {-0.7028279304504395, 0.19921553134918213, -0.853224515914917, -0.17352354526519775,
                -0.6864304542541504, -0.3583865761756897, -0.2203262746334076, -0.3367461562156677,
                0.3837256133556366, -0.20215731859207153},
            {0.4162745177745819, -0.8128284215927124, -0.00439724326133728, -0.8120328187942505,
                -0.293669730424881, -0.4836052358150482, -0.36959823966026306, 0.07873396575450897,
                -0.2749069631099701, 0.6630810499191284}};
        assertLogits(1, false, reference);
    }

    /**
     * As above with PC-DARTS' MixedOp (K = 4, channel shuffle, 2×2 max-pooled pass-through) and Cell
     * (edges scaled by weights2), betas_normal[e] = sin(0.4e), betas_reduce[e] = cos(0.6e), softmax over
     * each node's incoming edges: PyTorch logits from the reference operations with PC-DARTS' definitions.
     */
    @Test
    void computesWhatPcDartsComputes() {
        double[][] reference = {
            {0.31108400225639343, -0.8767486810684204, 0.2250867784023285, -1.1943475008010864,
                0.2202608585357666, -1.1006335020065308, 0.3162892758846283, -0.6379536986351013,
                0.432811439037323, 0.0036023110151290894},
            {-0.597637414932251, 0.26313596963882446, -1.082708716392517, 0.20879095792770386,
                -1.2003607749938965, 0.2586415112018585, -0.9062135219573975, 0.37994080781936646,
                -0.3239922821521759, 0.4573208689689636}};
        assertLogits(4, true, reference);
    }

    private static void assertLogits(int partial, boolean edgeWeights, double[][] reference) {
        SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(8).optLayers(5)
                .optPartialChannels(partial).build();
        Shape shape = new Shape(2, 1, 16, 16);
        net.initialize(manager, DataType.FLOAT32, shape);
        ReferenceWeights.fill(net);
        try (NDManager step = manager.newSubManager()) {
            NDList in = new NDList(ReferenceWeights.input(step, shape),
                    ReferenceWeights.matrix(step, 14, 8, (e, k) -> Math.sin(0.7 * e + 0.3 * k)).softmax(1),
                    ReferenceWeights.matrix(step, 14, 8, (e, k) -> Math.cos(0.5 * e + 0.9 * k)).softmax(1));
            if (edgeWeights) {
                in.add(step.create(nodeSoftmax(e -> Math.sin(0.4 * e))));
                in.add(step.create(nodeSoftmax(e -> Math.cos(0.6 * e))));
            }
            float[] logits = net.forward(new ParameterStore(step, false), in, true).singletonOrThrow().toFloatArray();
            for (int i = 0; i < logits.length; i++) {
                assertThat((double) logits[i]).as("logit " + i).isCloseTo(reference[i / 10][i % 10], within(2e-4));
            }
        }
    }

    /** β̂: softmax of beta(e) over each node's incoming edges (2, 3, 4, 5 of them). */
    private static float[] nodeSoftmax(IntToDoubleFunction beta) {
        float[] out = new float[14];
        int start = 0;
        for (int n = 2; n <= 5; n++) {
            double sum = 0;
            for (int e = start; e < start + n; e++) {
                sum += Math.exp(beta.applyAsDouble(e));
            }
            for (int e = start; e < start + n; e++) {
                out[e] = (float) (Math.exp(beta.applyAsDouble(e)) / sum);
            }
            start += n;
        }
        return out;
    }

    @Test
    void gradientsReachOperationAndEdgeWeights() {
        SearchNetwork net = tiny(4);
        assertThat(net.edgesPerCell()).isEqualTo(14);
        try (NDManager step = manager.newSubManager()) {
            NDList inputs = inputs(step, net, true);
            for (int i = 1; i < inputs.size(); i++) {
                inputs.get(i).setRequiresGradient(true);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(new ParameterStore(step, false), inputs, true).singletonOrThrow();
                assertThat(logits.getShape()).isEqualTo(new Shape(2, 10));
                gc.backward(logits.square().sum());
            }
            for (int i = 1; i < inputs.size(); i++) {
                assertThat(inputs.get(i).getGradient().abs().sum().getFloat()).as("input " + i).isPositive();
            }
        }
    }

    @Test
    void unitEdgeWeightsWithOneChannelGroupAreDarts() {
        SearchNetwork net = tiny(1);
        try (NDManager step = manager.newSubManager()) {
            NDList pc = inputs(step, net, true);
            pc.set(3, step.ones(new Shape(14)));
            pc.set(4, step.ones(new Shape(14)));
            NDList darts = new NDList(pc.get(0), pc.get(1), pc.get(2));
            ParameterStore store = new ParameterStore(step, false);
            NDArray a = net.forward(store, darts, false).singletonOrThrow();
            NDArray b = net.forward(store, pc, false).singletonOrThrow();
            assertThat(a.sub(b).abs().max().getFloat()).isZero();
            assertThat(a.abs().sum().getFloat()).isPositive();
        }
    }

    @Test
    void partialEdgeShufflesOperatedAndPassedChannels() {
        MixedOp edge = new MixedOp(8, 1, 4);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.arange(8f * 2 * 2).reshape(1, 8, 2, 2);
            edge.initialize(step, DataType.FLOAT32, x.getShape(), new Shape(8));
            float[] skipOnly = new float[8];
            skipOnly[Primitives.indexOf("skip_connect")] = 1f;
            NDArray y = edge.forward(new ParameterStore(step, false), new NDList(x, step.create(skipOnly)), false)
                    .singletonOrThrow();
            // Skip on the operated quarter (channels 0, 1) leaves x whole; shuffling 4 groups of 2 channels
            // puts input channel 2g + i at output 4i + g: order 0, 2, 4, 6, 1, 3, 5, 7.
            int[] order = {0, 2, 4, 6, 1, 3, 5, 7};
            float[] expected = new float[32];
            for (int c = 0; c < 8; c++) {
                for (int p = 0; p < 4; p++) {
                    expected[c * 4 + p] = order[c] * 4 + p;
                }
            }
            assertThat(y.toFloatArray()).containsExactly(expected);
        }
    }

    @Test
    void partialReducingEdgePoolsThePassedChannels() {
        MixedOp edge = new MixedOp(8, 2, 4);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(new Shape(2, 8, 4, 4));
            edge.initialize(step, DataType.FLOAT32, x.getShape(), new Shape(8));
            NDArray w = step.randomUniform(0, 1, new Shape(8)).softmax(0);
            NDArray y = edge.forward(new ParameterStore(step, false), new NDList(x, w), true).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 8, 2, 2));
            // Output channel 1 is input channel 2 (passed through), max-pooled 2×2.
            NDArray pooled = x.get(":, 2:3").reshape(2, 1, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5)
                    .reshape(2, 1, 2, 2, 4).max(new int[] {4});
            assertThat(y.get(":, 1:2").sub(pooled).abs().max().getFloat()).isZero();
        }
    }

    /**
     * An edge keeps no Java handle on its operations' intermediates, products or partial sums (the step's
     * manager gains its output only), and autograd still has everything it needs: after a garbage collection
     * between the forward and the backward pass, the gradients of x and of the weights are bit for bit those
     * of DARTS' sum computed op by op with every intermediate kept alive, {@code none}'s w·0 term included
     * (the edge leaves it out).
     */
    @Test
    void anEdgeReleasesItsIntermediatesAndSkipsNoneWithoutChangingTheGradient() {
        MixedOp edge = new MixedOp(8, 2, 1);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(new Shape(2, 8, 4, 4));
            NDArray w = step.randomUniform(0, 1, new Shape(8)).softmax(0);
            edge.initialize(step, DataType.FLOAT32, x.getShape(), w.getShape());
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            ParameterStore store = new ParameterStore(step, false);

            int before = step.getManagedArrays().size();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = edge.forward(store, new NDList(x, w), true).singletonOrThrow();
                assertThat(step.getManagedArrays()).hasSize(before + 1).contains(y);
                NDArray loss = y.mul(y).sum();
                System.gc();
                gc.backward(loss);
            }
            float[] releasedX = x.getGradient().toFloatArray();
            float[] releasedW = w.getGradient().toFloatArray();
            for (NDArray a : List.of(x, w)) {
                NDArray grad = a.getGradient();
                grad.subi(grad);
            }

            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = null;
                for (int k = 0; k < edge.getChildren().size(); k++) {
                    NDArray term = edge.getChildren().get(k).getValue()
                            .forward(store, new NDList(x), true).singletonOrThrow().mul(w.get(k));
                    y = y == null ? term : y.add(term);
                }
                gc.backward(y.mul(y).sum());
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(releasedX);
            assertThat(w.getGradient().toFloatArray()).containsExactly(releasedW);
            assertThat(releasedW[Primitives.indexOf("none")]).isZero();
            for (int k = 0; k < releasedW.length; k++) {
                if (k != Primitives.indexOf("none")) {
                    assertThat(releasedW[k]).as(Primitives.NAMES.get(k)).isNotZero();
                }
            }
        }
    }

    /**
     * An edge restricted to operation k computes exactly what the mixture computes with the edge's weights
     * zero except w_k, and a pruned edge what it computes with all of them zero; and only the operations
     * the selection names run: the others' batch-norm statistics stay untouched by a training pass.
     */
    @Test
    void aSelectedEdgeEvaluatesOnlyItsOperationAndAPrunedEdgeNothing() {
        SearchNetwork net = tiny(1);
        int edges = net.edgesPerCell();
        List<Integer> choices = new ArrayList<>();
        for (int e = 0; e < edges; e++) {
            // every third edge mixes, every third is pruned (never all inputs of a node), the rest run one op
            choices.add(e % 3 == 0 ? OpSelection.ALL : e % 3 == 2 ? OpSelection.PRUNED : 1 + e % 7);
        }
        List<Integer> reversed = new ArrayList<>(choices);
        java.util.Collections.reverse(reversed);
        OpSelection selection = new OpSelection(choices, reversed);
        try (NDManager step = manager.newSubManager()) {
            NDList in = inputs(step, net, false);
            NDList dense = new NDList(in.get(0), restricted(step, in.get(1), selection, false),
                    restricted(step, in.get(2), selection, true));
            ParameterStore store = new ParameterStore(step, false);
            NDArray a = net.forward(store, in, false, selection.asForwardParameters()).singletonOrThrow();
            NDArray b = net.forward(store, dense, false).singletonOrThrow();
            assertThat(a.sub(b).abs().max().getFloat()).isLessThan(1e-6f);

            Map<MixedOp, List<float[]>> before = runningMeans(net);
            net.forward(store, in, true, selection.asForwardParameters());
            Map<MixedOp, List<float[]>> after = runningMeans(net);
            int checked = 0;
            for (SearchCell cell : cells(net)) {
                for (int e = 0; e < edges; e++) {
                    MixedOp edge = cell.edge(e);
                    int choice = selection.of(cell.isReduction(), e);
                    for (int k = 0; k < Primitives.NAMES.size(); k++) {
                        float[] was = before.get(edge).get(k);
                        boolean ran = choice == OpSelection.ALL || choice == k;
                        if (was != null) {
                            assertThat(!java.util.Arrays.equals(was, after.get(edge).get(k)))
                                    .as("edge %d op %s of a %s cell ran", e, Primitives.NAMES.get(k),
                                            cell.isReduction() ? "reduction" : "normal")
                                    .isEqualTo(ran);
                            checked++;
                        }
                    }
                }
            }
            assertThat(checked).as("operations with batch norm").isGreaterThan(3 * 2 * edges);
        }
    }

    /** {@code weights} with the rows of single-op edges zero but w_k and those of pruned edges all zero. */
    private static NDArray restricted(NDManager m, NDArray weights, OpSelection selection, boolean reduction) {
        float[] w = weights.toFloatArray();
        int ops = Primitives.NAMES.size();
        for (int e = 0; e < selection.edges(); e++) {
            int choice = selection.of(reduction, e);
            for (int k = 0; k < ops; k++) {
                if (choice != OpSelection.ALL && choice != k) {
                    w[e * ops + k] = 0;
                }
            }
        }
        return m.create(w, weights.getShape());
    }

    private static List<SearchCell> cells(SearchNetwork net) {
        return net.getChildren().values().stream().filter(b -> b instanceof SearchCell).map(b -> (SearchCell) b)
                .toList();
    }

    /** Per edge, per operation: its batch-norm running mean (null for operations without batch norm). */
    private static Map<MixedOp, List<float[]>> runningMeans(SearchNetwork net) {
        Map<MixedOp, List<float[]>> out = new IdentityHashMap<>();
        for (SearchCell cell : cells(net)) {
            for (int e = 0; e < net.edgesPerCell(); e++) {
                List<float[]> perOp = new ArrayList<>();
                for (Block op : cell.edge(e).getChildren().values()) {
                    perOp.add(op.getParameters().stream().filter(p -> p.getKey().endsWith("runningMean"))
                            .map(p -> p.getValue().getArray().toFloatArray()).findFirst().orElse(null));
                }
                out.put(cell.edge(e), perOp);
            }
        }
        return out;
    }

    /**
     * GDAS-FRC's reduction cell: reduction weights reach nothing, normal weights still do; its trainable
     * parameters, counted by hand for C = 8 from 12 input channels: two 1×1 preprocessing convolutions (96
     * each), per convolution branch 1×3 and 3×1 in 8 groups (24 each) and 1×1 (64), biases (8 per
     * convolution) exactly when batch norm is not affine, affine batch norms 16 each (8 of them).
     */
    @Test
    void theFixedReductionCellIgnoresReductionWeightsAndHasAutoDlsParameters() {
        SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(4).optLayers(3)
                .optFixedReduction(true).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8));
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDList in = inputs(step, net, false);
            NDArray logits = net.forward(store, in, false).singletonOrThrow();
            NDList otherReduce = new NDList(in.get(0), in.get(1), step.ones(new Shape(net.edgesPerCell(), 8)));
            NDList otherNormal = new NDList(in.get(0), step.ones(new Shape(net.edgesPerCell(), 8)), in.get(2));
            assertThat(logits.sub(net.forward(store, otherReduce, false).singletonOrThrow()).abs().max().getFloat())
                    .isZero();
            assertThat(logits.sub(net.forward(store, otherNormal, false).singletonOrThrow()).abs().max().getFloat())
                    .isPositive();
        }
        for (boolean affine : new boolean[] {false, true}) {
            GdasReductionCell cell = new GdasReductionCell(8, false, affine);
            cell.initialize(manager, DataType.FLOAT32, new Shape(1, 12, 8, 8), new Shape(1, 12, 8, 8));
            long convolutions = 2 * 96 + 2 * (24 + 24 + 64);
            long expected = affine ? convolutions + 8 * 16 : convolutions + 2 * 3 * 8;
            assertThat(BlockStats.trainableParameters(cell)).as("affine " + affine).isEqualTo(expected);
            assertThat(cell.getOutputShapes(new Shape[] {new Shape(1, 12, 8, 8), new Shape(1, 12, 8, 8)})[0])
                    .isEqualTo(new Shape(1, 32, 4, 4));
        }
    }

    private static SearchNetwork tiny(int partial) {
        SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(4).optLayers(3)
                .optPartialChannels(partial).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8));
        return net;
    }

    private static NDList inputs(NDManager m, SearchNetwork net, boolean edgeWeights) {
        int e = net.edgesPerCell();
        NDList in = new NDList(m.randomNormal(new Shape(2, 1, 8, 8)),
                m.randomUniform(0, 1, new Shape(e, 8)).softmax(1), m.randomUniform(0, 1, new Shape(e, 8)).softmax(1));
        if (edgeWeights) {
            in.add(m.randomUniform(0.5f, 1, new Shape(e)));
            in.add(m.randomUniform(0.5f, 1, new Shape(e)));
        }
        return in;
    }

    @Test
    void rejectsInputsItCannotReduceAndMisshapenWeights() {
        SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(4).optLayers(3)
                .build();
        assertThatThrownBy(() -> net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 6, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1x6x6")
                .hasMessageContaining("multiples of 4");
        SearchNetwork ok = tiny(1);
        try (NDManager step = manager.newSubManager()) {
            NDList in = inputs(step, ok, false);
            in.set(1, step.ones(new Shape(13, 8)));
            assertThatThrownBy(() -> ok.forward(new ParameterStore(step, false), in, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(14, 8)");
        }
        assertThatThrownBy(() -> SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(6)
                        .optPartialChannels(4).build())
                .hasMessageContaining("multiple of partialChannels 4");
    }
}
