package org.proxynas.zerocost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.Fixtures;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.data.SubsetFile;
import org.proxynas.learn.Initialization;
import org.proxynas.nas.space.Genotype;
import org.proxynas.train.GenotypeNetwork;
import org.proxynas.train.NetworkSpec;

class ZeroCostJobTest {
    private static final NetworkSpec.Cells DARTS_V2 =
            new NetworkSpec.Cells("DARTS_V2", Genotype.named("DARTS_V2"), 3, 4, null);

    @TempDir
    Path dir;

    /**
     * Every measure on a small DARTS network (separable, dilated and factorized-reduce operations, batch norm):
     * twice the same values, and the network as it was, running statistics included, with no gradient on it.
     */
    @Test
    void measuresRepeatAndLeaveTheNetworkAsItWas() {
        try (NDManager m = NDManager.newBaseManager()) {
            GenotypeNetwork net = DARTS_V2.network(10, 1, false);
            Initialization.seeded(net, m, 3, new Shape(1, 8, 8));
            List<float[]> before = parameterValues(net);
            List<Minibatch> batches = List.of(new Minibatch(m.randomNormal(new Shape(8, 1, 8, 8)),
                    m.randomInteger(0, 10, new Shape(8), DataType.INT64)));
            List<Double> first = new ArrayList<>();
            List<Double> second = new ArrayList<>();
            for (String name : ZeroCostMeasures.NAMES) {
                first.add(ZeroCostMeasures.create(name).compute(net, m, batches));
            }
            for (String name : ZeroCostMeasures.NAMES) {
                second.add(ZeroCostMeasures.create(name).compute(net, m, batches));
            }
            assertThat(second).isEqualTo(first);
            assertThat(first).allSatisfy(v -> assertThat(v).isFinite().isNotZero());
            List<float[]> after = parameterValues(net);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).as("parameter %d", i).containsExactly(before.get(i));
            }
            for (Parameter p : net.getParameters().values()) {
                if (p.requiresGradient()) {
                    assertThat(p.getArray().getGradient().abs().max().getFloat()).as(p.getName()).isZero();
                }
            }
        }
    }

    @Test
    void aSeedGivesOneResultAndAnotherSeedAnother() throws IOException {
        String data = idx(40);
        ZeroCostConfig config = ZeroCostConfig.builder().setDataset(data).setNetwork(DARTS_V2).optSeed(1)
                .optBatches(2).optBatchSize(8).optMeasures(List.of("synflow", "naswot", "params")).build();
        ZeroCostResult result = ZeroCostJob.run(config);
        assertThat(result.measurements()).extracting(ZeroCostResult.Measurement::name)
                .containsExactly("synflow", "naswot", "params");
        assertThat(result.examples()).isEqualTo(40);
        assertThat(result.network()).isEqualTo("DARTS_V2 C=4 L=3");
        assertThat(ZeroCostJob.run(config).measurements()).extracting(ZeroCostResult.Measurement::value)
                .isEqualTo(result.measurements().stream().map(ZeroCostResult.Measurement::value).toList());
        ZeroCostResult other = ZeroCostJob.run(ZeroCostConfig.builder().setDataset(data).setNetwork(DARTS_V2)
                .optSeed(2).optBatches(2).optBatchSize(8).optMeasures(List.of("synflow", "naswot", "params")).build());
        assertThat(other.value("synflow")).isNotEqualTo(result.value("synflow"));
        assertThat(other.value("naswot")).isNotEqualTo(result.value("naswot"));
        assertThat(other.value("params")).isEqualTo(result.value("params"));
    }

    /**
     * On 32×32 images the training has DARTS' auxiliary head, drawn between the cells: the measured network has no
     * head and every other weight the training starts from.
     */
    @Test
    void theMeasuredNetworkHasTheTrainingsWeightsWithoutItsAuxiliaryHead() throws IOException {
        Fixtures.writeCifar10(dir.resolve("c10"), Fixtures.random("c10", 10, 3, 32, 32, 10, 1),
                Fixtures.random("c10", 2, 3, 32, 32, 10, 2), null);
        ImageDataset cifar = Datasets.open("cifar10:" + dir.resolve("c10"), Split.TRAIN);
        try (NDManager m = NDManager.newBaseManager()) {
            GenotypeNetwork measured = ZeroCostJob.untrainedNetwork(DARTS_V2, cifar, 5, m);
            GenotypeNetwork trained = DARTS_V2.network(10, 3, true);
            Initialization.seeded(trained, m, 5, new Shape(3, 32, 32));
            List<Parameter> head = List.copyOf(trained.auxiliaryHead().orElseThrow().getParameters().values());
            List<float[]> expected = new ArrayList<>();
            for (Parameter p : trained.getParameters().values()) {
                if (!head.contains(p)) {
                    expected.add(p.getArray().toFloatArray());
                }
            }
            assertThat(measured.auxiliaryHead()).isEmpty();
            List<float[]> actual = parameterValues(measured);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < actual.size(); i++) {
                assertThat(actual.get(i)).as("parameter %d", i).containsExactly(expected.get(i));
            }
            GenotypeNetwork drawnWithoutHead = DARTS_V2.network(10, 3, false);
            Initialization.seeded(drawnWithoutHead, m, 5, new Shape(3, 32, 32));
            assertThat(parameterValues(drawnWithoutHead).get(actual.size() - 2))
                    .as("the classifier, drawn after the head").isNotEqualTo(actual.get(actual.size() - 2));
        }
    }

    @Test
    void batchesMustFitTheTrainingExamples() throws IOException {
        String data = idx(40);
        Path subset = dir.resolve("subset.json");
        SubsetFile.writeFirst(subset, "first", 10, Provenance.capture("cpu", List.of()));
        ZeroCostConfig config = ZeroCostConfig.builder().setDataset(data).setNetwork(DARTS_V2).optTrainSubset(subset)
                .optBatches(2).optBatchSize(8).build();
        assertThatThrownBy(() -> ZeroCostJob.run(config)).isInstanceOf(UserError.class)
                .hasMessageContaining("need 16 training examples, found 10");
        assertThatThrownBy(() -> ZeroCostConfig.builder().setDataset(data).setNetwork(DARTS_V2)
                .optMeasures(List.of("snip", "snip")).build()).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> ZeroCostConfig.builder().setDataset(data).setNetwork(DARTS_V2).optBatchSize(1)
                .build()).isInstanceOf(UserError.class);
    }

    private String idx(int n) throws IOException {
        Fixtures.writeIdx(dir.resolve("idx"), Fixtures.random("tiny", n, 1, 8, 8, 10, 1),
                Fixtures.random("tiny", 4, 1, 8, 8, 10, 2), false);
        return "idx:" + dir.resolve("idx");
    }

    private static List<float[]> parameterValues(GenotypeNetwork net) {
        List<float[]> values = new ArrayList<>();
        for (Parameter p : net.getParameters().values()) {
            values.add(p.getArray().toFloatArray());
        }
        return values;
    }
}
