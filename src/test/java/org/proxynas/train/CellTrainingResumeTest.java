package org.proxynas.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.data.Augmentation;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.learn.LrSchedule;
import org.proxynas.learn.TrainingRecipe;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.learn.TrainingOutcome;
import org.proxynas.nas.space.Genotype;

/** Drop-path masks come from the engine's generator: a resumed cell network must still match bit for bit. */
class CellTrainingResumeTest {
    @TempDir
    Path dir;

    @Test
    void resumedCellTrainingWithDropPathAndAuxiliaryHeadIsExact() throws IOException {
        ImageDataset train = Datasets.open(TinyIdx.write(dir.resolve("data"), 64, 8, 2), Split.TRAIN);
        TrainingRecipe config = TrainingRecipe.builder().setEpochs(2).setBatchSize(32)
                .setSchedule(new LrSchedule.Cosine(0.025, 0, 2)).setNormalization(Normalization.compute(train))
                .optMomentum(0.9).optWeightDecay(3e-4).optGradClip(5).optSeed(3)
                .optAugmentation(new Augmentation(2, false, 8)).optAuxWeight(0.4).build();
        try (NDManager m = NDManager.newBaseManager()) {
            GenotypeNetwork straight = network();
            TrainingOutcome a = loop(straight, train, config, m, dir.resolve("a"), false, 2);
            loop(network(), train, config, m, dir.resolve("b"), false, 1);
            GenotypeNetwork resumed = network();
            TrainingOutcome b = loop(resumed, train, config, m, dir.resolve("b"), true, 2);
            assertThat(weights(resumed)).isEqualTo(weights(straight));
            assertThat(b.last().trainLoss()).isEqualTo(a.last().trainLoss());
        }
    }

    private static GenotypeNetwork network() {
        return GenotypeNetwork.builder().setGenotype(Genotype.named("DARTS_V2")).setClasses(10).setInputChannels(1)
                .optChannels(4).optLayers(3).optAuxiliary(true).build();
    }

    private static TrainingOutcome loop(GenotypeNetwork net, ImageDataset train, TrainingRecipe config,
            NDManager m, Path out, boolean resume, int stopAfter) throws IOException {
        return TrainingLoop.builder().setNetwork(net).setTrainSet(train).setConfig(config).setManager(m)
                .optOutputDir(out).optResume(resume).optStopAfterEpochs(stopAfter)
                .addListener(TrainJob.dropPathRamp(net, 0.3)).build().run();
    }

    private static List<Float> weights(GenotypeNetwork net) {
        List<Float> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                out.add(v);
            }
        }
        return out;
    }
}
