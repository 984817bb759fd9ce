package org.proxynas.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.proxynas.learn.StoredParameters;
import org.proxynas.nas.space.BlockStats;
import org.proxynas.nas.space.GdasReductionCell;
import org.proxynas.nas.space.Genotype.Edge;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.ReferenceWeights;

class GenotypeNetworkTest {
    /** One node per cell: normal = sep_conv_3x3(s0) + skip(s1); reduce = max_pool(s0) + dil_conv_3x3(s1). */
    private static final Genotype SMALL = new Genotype(
            List.of(new Edge("sep_conv_3x3", 0), new Edge("skip_connect", 1)), List.of(2),
            List.of(new Edge("max_pool_3x3", 0), new Edge("dil_conv_3x3", 1)), List.of(2));

    private static NDManager manager;

    @BeforeAll
    static void start() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /**
     * PyTorch reference (count_params.py, DARTS model.NetworkCIFAR with torch 1.13): DARTS_V2, C=36,
     * layers=20, auxiliary, 10 classes, 3 input channels: all=3,825,768, no_aux=3,349,342 (the paper's
     * 3.3M); 1 input channel, no auxiliary: 3,347,398. Multiply-adds from forward hooks on every Conv2d
     * (weight.numel()·Hout·Wout) and Linear (weight.numel()) of the eval-mode network, one image:
     * 528,359,040 at 3×32×32 and 403,002,144 at 1×28×28.
     */
    @Test
    void dartsV2CostEqualsPyTorch() {
        Genotype v2 = Genotype.named("DARTS_V2");
        assertThat(NetworkCost.of(v2, 20, 36, true, 10, new Shape(3, 32, 32)))
                .isEqualTo(new NetworkCost(3_349_342L, 3_825_768L, 528_359_040L));
        assertThat(NetworkCost.of(v2, 20, 36, false, 10, new Shape(1, 28, 28)))
                .isEqualTo(new NetworkCost(3_347_398L, 3_347_398L, 403_002_144L));
    }

    /**
     * The same function as DARTS' model.NetworkCIFAR(C=8, 10 classes, layers=5, DARTS_V2, in_channels=1)
     * in training mode, drop path 0, with the {@link ReferenceWeights} weights and input [2, 1, 16, 16]:
     * PyTorch 1.13 logits below, printed by the reference script.
     */
    @Test
    void computesWhatDartsComputes() {
        double[][] reference = {
            {-9.945517539978027, 8.358498573303223, -6.30682373046875, 4.594701290130615, -1.3427600860595703,
                -0.277382493019104, 3.7789463996887207, -5.2402238845825195, 7.927338600158691, -9.177200317382812},
            {-10.88960075378418, 9.253853797912598, -7.1037678718566895, 5.249014854431152, -1.81813383102417,
                -0.007327616214752197, 3.729193925857544, -5.413537502288818, 8.314099311828613, -9.755946159362793}};
        GenotypeNetwork net = GenotypeNetwork.builder().setGenotype(Genotype.named("DARTS_V2")).setClasses(10)
                .setInputChannels(1).optChannels(8).optLayers(5).build();
        Shape shape = new Shape(2, 1, 16, 16);
        net.initialize(manager, DataType.FLOAT32, shape);
        ReferenceWeights.fill(net);
        try (NDManager step = manager.newSubManager()) {
            float[] logits = net.forward(new ParameterStore(step, false),
                    new NDList(ReferenceWeights.input(step, shape)), true).singletonOrThrow().toFloatArray();
            for (int i = 0; i < logits.length; i++) {
                assertThat((double) logits[i]).as("logit " + i).isCloseTo(reference[i / 10][i % 10], within(2e-3));
            }
        }
    }

    /**
     * Five-node cells, the extra operations sep_conv_7x7 and conv_7x1_1x7 and non-contiguous concat lists:
     * PyTorch NetworkCIFAR(C=16, 10 classes, layers=8, auxiliary, in_channels=1) counts AmoebaNet
     * all=752,740, no_aux=325,466 and NASNet all=760,356, no_aux=333,082.
     */
    @Test
    void publishedFiveNodeCellsCountAsPyTorch() {
        for (Object[] c : new Object[][] {{"AmoebaNet", 325_466L, 752_740L}, {"NASNet", 333_082L, 760_356L}}) {
            NetworkCost cost = NetworkCost.of(Genotype.named((String) c[0]), 8, 16, true, 10, new Shape(1, 32, 32));
            assertThat(cost.params()).as((String) c[0]).isEqualTo(c[1]);
            assertThat(cost.paramsWithAuxiliary()).as((String) c[0]).isEqualTo(c[2]);
        }
        GenotypeNetwork amoeba = GenotypeNetwork.builder().setGenotype(Genotype.named("AmoebaNet")).setClasses(10)
                .setInputChannels(1).optChannels(8).optLayers(3).build();
        amoeba.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16, 16));
        try (NDManager step = manager.newSubManager()) {
            NDArray y = amoeba.forward(new ParameterStore(step, false),
                    new NDList(step.randomNormal(new Shape(1, 1, 16, 16))), false).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(1, 10));
        }
    }

    /**
     * By hand, C = 4, 3 cells (normal, reduce, reduce), 1 input channel, 10 classes. Stem 3×3 conv 1→12
     * + BN: 108 + 24 = 132. Cell 0 (C=4): two ReLUConvBN 12→4 (48 + 8 each) + sep_conv_3x3
     * (2·(9·4 + 16) + 2·8 = 120) = 232. Cell 1 (C=8): ReLUConvBN 12→8 (96 + 16) + 4→8 (32 + 16) +
     * dil_conv_3x3 (72 + 64 + 16) = 312. Cell 2 (C=16, after a reduction): FactorizedReduce 4→16
     * (2·4·8 + 32) + ReLUConvBN 8→16 (128 + 32) + dil_conv_3x3 (144 + 256 + 32) = 688. Linear 16→10:
     * 170. Total 1,534. Auxiliary head on 16 channels: 16·128 + 256 + 128·768·4 + 1536 + 768·10 + 10 =
     * 404,746.
     */
    @Test
    void smallNetworkParametersMatchHandCount() {
        GenotypeNetwork net = small(true);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32, 32));
        assertThat(BlockStats.trainableParameters(net)).isEqualTo(1_534L + 404_746L);
        assertThat(BlockStats.trainableParameters(net.auxiliaryHead().orElseThrow())).isEqualTo(404_746L);
    }

    @Test
    void auxiliaryHeadAndDropPathActOnlyWhenTraining() {
        GenotypeNetwork net = small(true);
        net.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 32, 32));
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDList x = new NDList(step.randomNormal(new Shape(4, 1, 32, 32)));

            net.setDropPathProbability(0f);
            NDList trainPlain = net.forward(store, x, true);
            NDArray evalPlain = net.forward(store, x, false).singletonOrThrow();
            assertThat(trainPlain).hasSize(2);
            assertThat(trainPlain.get(1).getShape()).isEqualTo(new Shape(4, 10));
            assertThat(evalPlain.getShape()).isEqualTo(new Shape(4, 10));

            net.setDropPathProbability(0.6f);
            NDArray evalDropped = net.forward(store, x, false).singletonOrThrow();
            NDArray trainDropped = net.forward(store, x, true).get(0);
            NDArray trainPlainAgain = withoutDropPath(net, store, x);
            assertThat(evalDropped.sub(evalPlain).abs().max().getFloat()).isZero();
            assertThat(trainPlainAgain.sub(trainPlain.get(0)).abs().max().getFloat()).isZero();
            assertThat(trainDropped.sub(trainPlain.get(0)).abs().max().getFloat()).isPositive();
        }
    }

    private static NDArray withoutDropPath(GenotypeNetwork net, ParameterStore store, NDList x) {
        net.setDropPathProbability(0f);
        return net.forward(store, x, true).get(0);
    }

    @Test
    void savedParametersRebuildTheSameNetwork() throws Exception {
        Shape shape = new Shape(2, 1, 32, 32);
        GenotypeNetwork trained = small(true);
        trained.initialize(manager, DataType.FLOAT32, shape);
        ReferenceWeights.fill(trained);
        byte[] stored = StoredParameters.of(trained);

        GenotypeNetwork restored = small(true);
        restored.initialize(manager, DataType.FLOAT32, shape);
        StoredParameters.load(restored, manager, stored);
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDList x = new NDList(ReferenceWeights.input(step, shape));
            NDArray a = trained.forward(store, x, false).singletonOrThrow();
            NDArray b = restored.forward(store, x, false).singletonOrThrow();
            assertThat(a.sub(b).abs().max().getFloat()).isZero();
            assertThat(a.abs().sum().getFloat()).isPositive();
        }
    }

    @Test
    void dropPathZeroesWholeExamplesAndRescalesTheRest() {
        try (NDManager step = manager.newSubManager()) {
            NDArray y = GenotypeCell.dropPath(step.ones(new Shape(400, 2, 3, 3)), 0.25f);
            float[] perExample = y.sum(new int[] {1, 2, 3}).toFloatArray();
            int kept = 0;
            for (float v : perExample) {
                if (v != 0f) {
                    assertThat(v).isCloseTo(18f / 0.75f, offset(1e-4f));
                    kept++;
                }
            }
            assertThat(kept).isBetween(240, 360);
        }
    }

    @Test
    void tooSmallInputIsRejectedWithTheMinimum() {
        assertThatThrownBy(() -> small(true).initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1x28x28 is too small for the auxiliary head")
                .hasMessageContaining("input at least 32x32");
        assertThatThrownBy(() -> small(false).initialize(manager, DataType.FLOAT32, new Shape(1, 1, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1x2x2")
                .hasMessageContaining("at least 4x4");
    }

    @Test
    void imageNetStemShrinksEightfoldBeforeTheCells() {
        GenotypeNetwork net = GenotypeNetwork.builder().setGenotype(SMALL).setClasses(5).setInputChannels(3)
                .optChannels(4).optLayers(3).optImageNetStem(true).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
        try (NDManager step = manager.newSubManager()) {
            NDArray y = net.forward(new ParameterStore(step, false), new NDList(step.randomNormal(
                    new Shape(2, 3, 32, 32))), true).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 5));
        }
        assertThatThrownBy(() -> GenotypeNetwork.builder().setGenotype(SMALL).setClasses(5).setInputChannels(3)
                        .optChannels(4).optLayers(3).optImageNetStem(true).build()
                        .initialize(manager, DataType.FLOAT32, new Shape(2, 3, 16, 16)))
                .hasMessageContaining("multiples of 32");
    }

    /** A genotype whose reduction cell is GDAS-FRC's fixed one trains like any other. */
    @Test
    void theGdasFixedReductionCellBuildsFromItsGenotype() {
        Genotype v2 = Genotype.named("DARTS_V2");
        Genotype frc = new Genotype(v2.normal(), v2.normalConcat(), GdasReductionCell.EDGES, GdasReductionCell.CONCAT);
        GenotypeNetwork net = GenotypeNetwork.builder().setGenotype(frc).setClasses(10).setInputChannels(1)
                .optChannels(8).optLayers(3).optAuxiliary(false).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8));
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = net.forward(new ParameterStore(step, false), new NDList(step.randomNormal(
                    new Shape(2, 1, 8, 8))), true).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 10));
        }
        assertThat(Genotype.parse(frc.toDartsString())).isEqualTo(frc);
    }

    /**
     * SMALL's cells output one node each: the loss's gradient still reaches the stem (DJL's concatenation of a
     * single array detached it, so only the classifier trained).
     */
    @Test
    void cellsOfOneOutputNodeStillPassTheGradientToTheStem() {
        GenotypeNetwork net = small(false);
        net.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 8, 8));
        Parameter stem = net.getParameters().get(0).getValue();
        assertThat(net.getParameters().get(0).getKey()).contains("stem");
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = net.forward(new ParameterStore(step, false), new NDList(step.randomNormal(
                    new Shape(4, 1, 8, 8))), true).singletonOrThrow();
            NDArray labels = step.create(new long[] {0, 1, 2, 3});
            gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits)));
        }
        assertThat(stem.getArray().getGradient().abs().sum().getFloat()).isPositive();
    }

    private static GenotypeNetwork small(boolean auxiliary) {
        return GenotypeNetwork.builder().setGenotype(SMALL).setClasses(10).setInputChannels(1)
                .optChannels(4).optLayers(3).optAuxiliary(auxiliary).build();
    }
}
