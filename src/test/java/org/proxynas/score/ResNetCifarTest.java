package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** Parameter counts are those of the PyTorch reference (common.py ResNet20, option A shortcuts). */
class ResNetCifarTest {

    @Test
    void resnet20HasTheReferenceParameterCount() {
        assertThat(trainableParameters(ResNetCifar.resnet20(10), 3, 32)).isEqualTo(269_722);
        assertThat(trainableParameters(ResNetCifar.resnet20(10), 1, 28)).isEqualTo(269_434);
    }

    @Test
    void resnet56HasTheReferenceParameterCount() {
        assertThat(trainableParameters(ResNetCifar.resnet56(100), 3, 32)).isEqualTo(858_868);
    }

    @Test
    void outputsLogitsAndFeaturesForAnyInputShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] chw : new int[][] {{1, 28, 28}, {3, 32, 32}}) {
                ResNetCifar net = ResNetCifar.resnet20(10);
                Shape in = new Shape(2, chw[0], chw[1], chw[2]);
                net.initialize(m, DataType.FLOAT32, in);
                ParameterStore ps = new ParameterStore(m, false);
                NDList out = net.forward(ps, new NDList(m.randomNormal(in)), false);
                assertThat(out).hasSize(1);
                assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 10));
                assertThat(net.getOutputShapes(new Shape[] {in})[0]).isEqualTo(new Shape(2, 10));
                NDList both = net.forwardWithFeatures(ps, new NDList(m.randomNormal(in)), false);
                assertThat(both.get(1).getShape()).isEqualTo(new Shape(2, net.featureSize()));
                assertThat(both.get(0).getShape()).isEqualTo(new Shape(2, 10));
            }
        }
    }

    @Test
    void convolutionWeightsAreKaimingNormal() {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNetCifar net = ResNetCifar.resnet20(10);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            // the last stage's 3x3 convs have fan-in 64*9: Kaiming std sqrt(2/576)
            float std = net.getParameters().get("10stage3block3_02conv2_weight").getArray().pow(2).mean().sqrt()
                    .getFloat();
            assertThat((double) std).isBetween(Math.sqrt(2.0 / 576) * 0.95, Math.sqrt(2.0 / 576) * 1.05);
        }
    }

    @Test
    void rejectsDepthsThatAreNotSixNPlusTwo() {
        assertThatThrownBy(() -> ResNetCifar.of(21, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found 21");
    }

    private static long trainableParameters(ResNetCifar net, int channels, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, channels, size, size));
            long n = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    n += p.getValue().getArray().size();
                }
            }
            return n;
        }
    }
}
