package org.proxynas.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    private static final TinyNets.TinyData DATA = TinyNets.tinyData();

    @TempDir
    Path dir;

    private static TrainingRecipe config(int epochs, double auxWeight) {
        return TinyNets.recipe(DATA, epochs).optAuxWeight(auxWeight).build();
    }

    @Test
    void lossDecreasesAndEveryOutputIsWritten() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingOutcome out = TrainingLoop.builder().setNetwork(TinyNets.convNet()).setTrainSet(DATA.train())
                    .optTestSet(DATA.test()).setConfig(config(3, 0)).setManager(m).optOutputDir(dir).build().run();
            assertThat(out.complete()).isTrue();
            assertThat(out.history()).hasSize(3);
            assertThat(out.last().trainLoss()).isLessThan(out.history().get(0).trainLoss());
            assertThat(out.last().testAccuracy()).isBetween(0.0, 1.0);
            assertThat(out.last().lr()).isLessThan(out.history().get(0).lr());
            assertThat(Files.readAllLines(dir.resolve(TrainingLoop.LOG))).hasSize(3)
                    .allSatisfy(line -> assertThat(line).contains("\"trainLoss\""));
            assertThat(dir.resolve(TrainingLoop.CHECKPOINT)).isNotEmptyFile();
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitForBit() throws IOException {
        Path straightDir = dir.resolve("straight");
        Path resumedDir = dir.resolve("resumed");
        try (NDManager m = NDManager.newBaseManager()) {
            Block straight = TinyNets.convNet();
            BatchCounter straightCount = new BatchCounter();
            TrainingOutcome a = TrainingLoop.builder().setNetwork(straight).setTrainSet(DATA.train())
                    .optTestSet(DATA.test())
                    .setConfig(config(3, 0)).setManager(m).optOutputDir(straightDir).addListener(straightCount)
                    .build().run();

            TrainingOutcome firstPart = TrainingLoop.builder().setNetwork(TinyNets.convNet()).setTrainSet(DATA.train())
                    .optTestSet(DATA.test()).setConfig(config(3, 0)).setManager(m).optOutputDir(resumedDir)
                    .addListener(new BatchCounter()).optStopAfterEpochs(1).build().run();
            assertThat(firstPart.complete()).isFalse();
            assertThat(firstPart.epochsDone()).isEqualTo(1);

            Block resumed = TinyNets.convNet();
            BatchCounter resumedCount = new BatchCounter();
            TrainingOutcome b = TrainingLoop.builder().setNetwork(resumed).setTrainSet(DATA.train())
                    .optTestSet(DATA.test())
                    .setConfig(config(3, 0)).setManager(m).optOutputDir(resumedDir).addListener(resumedCount)
                    .optResume(true).build().run();

            assertThat(b.complete()).isTrue();
            assertThat(TinyNets.weights(resumed)).isEqualTo(TinyNets.weights(straight));
            assertThat(resumedCount.batches).isEqualTo(straightCount.batches).isEqualTo(3 * 10);
            assertThat(resumedCount.predictedSum).isEqualTo(straightCount.predictedSum);
            for (int e = 0; e < 3; e++) {
                EpochMetrics x = a.history().get(e);
                EpochMetrics y = b.history().get(e);
                assertThat(y.trainLoss()).isEqualTo(x.trainLoss());
                assertThat(y.trainAccuracy()).isEqualTo(x.trainAccuracy());
                assertThat(y.testAccuracy()).isEqualTo(x.testAccuracy());
            }
        }
    }

    @Test
    void auxiliaryHeadTrainsOnlyWithAuxWeight() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] initial = auxWeights(m, 0.4, 0);
            float[] trained = auxWeights(m, 0.4, 1);
            assertThat(trained).isNotEqualTo(initial);
            // without the auxiliary loss only weight decay moves the head: a different, smaller change
            float[] decayed = auxWeights(m, 0, 1);
            assertThat(decayed).isNotEqualTo(trained);
            assertThat(distance(decayed, initial)).isLessThan(distance(trained, initial));
        }
    }

    @Test
    void evaluationCountsEveryTestExample() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TinyNets.convNet();
            TrainingOutcome out = TrainingLoop.builder().setNetwork(net).setTrainSet(DATA.train())
                    .optTestSet(DATA.test()).setConfig(config(1, 0)).setManager(m).build().run();
            DatasetMetrics eval = DatasetMetrics.of(net, DATA.test(), DATA.norm(), 7, m);
            assertThat(eval.examples()).isEqualTo(100);
            assertThat(eval.accuracy()).isEqualTo(out.last().testAccuracy());
            assertThat(eval.loss()).isCloseTo(out.last().testLoss(), org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    private static double distance(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(d);
    }

    /** The auxiliary head's weights after {@code epochs} epochs (0: as initialized). */
    private float[] auxWeights(NDManager m, double auxWeight, int epochs) throws IOException {
        TinyNets.TwoHeads net = new TinyNets.TwoHeads();
        TrainingLoop.builder().setNetwork(net).setTrainSet(DATA.train()).setConfig(config(1, auxWeight)).setManager(m)
                .optStopAfterEpochs(epochs).build().run();
        return net.aux.getParameters().get("weight").getArray().toFloatArray();
    }

    @Test
    void aCheckpointOfAnotherTrainingIsRefusedNamingWhatDiffers() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingLoop.builder().setNetwork(TinyNets.convNet()).setTrainSet(DATA.train()).setConfig(config(1, 0))
                    .setManager(m).optOutputDir(dir).build().run();
            assertThatThrownBy(() -> TrainingLoop.builder().setNetwork(TinyNets.convNet()).setTrainSet(DATA.train())
                    .setConfig(config(2, 0)).setManager(m).optOutputDir(dir).optResume(true).build().run())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("was written with another training: epochs: was 1, now 2");
        }
    }

    /** Checkpointable state, as forgetting counts are: batches seen and a checksum of the predictions. */
    private static final class BatchCounter implements EpochListener, Checkpointable {
        int batches;
        long predictedSum;

        @Override
        public boolean wantsPredictions() {
            return true;
        }

        @Override
        public void onBatch(int epoch, int[] indices, int[] predicted) {
            batches++;
            predictedSum = 31 * predictedSum + Arrays.hashCode(indices) + Arrays.hashCode(predicted);
        }

        @Override
        public void saveState(DataOutputStream out) throws IOException {
            out.writeInt(batches);
            out.writeLong(predictedSum);
        }

        @Override
        public void loadState(DataInputStream in) throws IOException {
            batches = in.readInt();
            predictedSum = in.readLong();
        }
    }
}
