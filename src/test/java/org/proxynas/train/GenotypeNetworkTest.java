package org.proxynas.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.proxynas.nas.space.BlockStats;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.Genotype.Edge;

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

    private static GenotypeNetwork small(boolean auxiliary) {
        return GenotypeNetwork.builder().setGenotype(SMALL).setClasses(10).setInputChannels(1)
                .optChannels(4).optLayers(3).optAuxiliary(auxiliary).build();
    }
}
