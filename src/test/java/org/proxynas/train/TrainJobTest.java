package org.proxynas.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.nas.space.Genotype;

class TrainJobTest {
    @TempDir
    static Path data;

    @TempDir
    Path dir;

    private static String mnist28;
    private static String mnist32;

    @BeforeAll
    static void datasets() throws IOException {
        mnist28 = TinyIdx.write(data.resolve("28"), 192, 64, 0);
        mnist32 = TinyIdx.write(data.resolve("32"), 96, 32, 2);
    }

    @Test
    void resnetRunWritesEveryOutput() throws IOException {
        Path out = dir.resolve("r20");
        TrainResult r = TrainJob.run(TrainConfig.builder().setDataset(mnist28)
                .setNetwork(new NetworkSpec.ResNet(8)).setOutputDir(out).optEpochs(2).optBatchSize(32)
                .build(), RunContext.of(List.of("proxynas", "train"), ComputeDevice.AUTO));
        assertThat(r.epochs()).isEqualTo(2);
        assertThat(r.trainExamples()).isEqualTo(192);
        assertThat(r.testExamples()).isEqualTo(64);
        assertThat(r.parameters()).isEqualTo(75_002); // PyTorch reference ResNet(n=1), 1 channel, 10 classes
        assertThat(r.finalTestError()).isEqualTo(1 - r.finalTestAccuracy());
        assertThat(r.bestTestAccuracy()).isGreaterThanOrEqualTo(r.finalTestAccuracy());
        assertThat(Files.readAllLines(out.resolve(TrainingLoop.LOG))).hasSize(2);
        JsonNode result = Json.read(out.resolve(TrainJob.RESULT), JsonNode.class);
        assertThat(result.get("provenance").get("command").toString()).contains("train");
        JsonNode config = Json.read(out.resolve(TrainJob.CONFIG), JsonNode.class);
        assertThat(config.at("/training/schedule/type").asText()).isEqualTo("multistep");
        assertThat(config.at("/config/weightDecay").asDouble()).isEqualTo(1e-4);
        assertThat(config.has("provenance")).isTrue();
        BufferedImage png = ImageIO.read(out.resolve(TrainJob.CURVE).toFile());
        assertThat(png.getWidth()).isGreaterThan(png.getHeight());
    }

    @Test
    void cellsUseTheDartsProtocolAndCountParametersWithoutTheAuxiliaryHead() throws IOException {
        Genotype g = Genotype.named("DARTS_V2");
        TrainResult withAux = TrainJob.run(cells(mnist32, new NetworkSpec.Cells("DARTS_V2", g, 3, 8, null),
                dir.resolve("aux")));
        assertThat(withAux.auxiliaryHead()).isTrue();
        JsonNode config = Json.read(dir.resolve("aux").resolve(TrainJob.CONFIG), JsonNode.class);
        assertThat(config.at("/training/schedule/type").asText()).isEqualTo("cosine");
        assertThat(config.at("/training/auxWeight").asDouble()).isEqualTo(0.4);
        assertThat(config.at("/training/augmentation/cutoutLength").asInt()).isEqualTo(16);

        NetworkSpec.Cells same = new NetworkSpec.Cells("DARTS_V2", g, 3, 8, false);
        try (NDManager m = NDManager.newBaseManager()) {
            Block noAux = Networks.build(same, 1, 10, false);
            noAux.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            assertThat(withAux.parameters()).isEqualTo(Networks.inferenceParameters(noAux))
                    .isPositive();
        }
    }

    @Test
    void smallImagesLeaveTheAuxiliaryHeadOffUnlessAsked() {
        NetworkSpec.Cells auto = new NetworkSpec.Cells("DARTS_V2", Genotype.named("DARTS_V2"), 8, 16, null);
        assertThat(auto.auxiliaryFor(28, 28)).isFalse();
        assertThat(auto.auxiliaryFor(32, 32)).isTrue();
        assertThatThrownBy(() -> new NetworkSpec.Cells("x", Genotype.named("DARTS_V2"), 8, 16, true)
                .auxiliaryFor(28, 28)).isInstanceOf(UserError.class).hasMessageContaining("at least 32x32 px");
        assertThat(new NetworkSpec.Cells("x", Genotype.named("DARTS_V2"), 8, 16, false).auxiliaryFor(32, 32))
                .isFalse();
    }

    @Test
    void trainsOnlyOnTheSelectedSubset() throws IOException {
        Path proxy = dir.resolve("proxy.json");
        Files.writeString(proxy, "{\"method\":\"random\",\"poolSize\":192,\"indices\":[" + range(64) + "]}");
        TrainResult r = TrainJob.run(TrainConfig.builder().setDataset(mnist28)
                .setNetwork(new NetworkSpec.ResNet(8)).setOutputDir(dir.resolve("sub")).optEpochs(1)
                .optBatchSize(16).optTrainSubset(proxy).build());
        assertThat(r.trainExamples()).isEqualTo(64);

        Files.writeString(proxy, "{\"poolSize\":50000,\"indices\":[1,2]}");
        assertThatThrownBy(() -> TrainJob.run(TrainConfig.builder().setDataset(mnist28)
                .setNetwork(new NetworkSpec.ResNet(8)).setOutputDir(dir.resolve("bad")).optTrainSubset(proxy)
                .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selected from 50000");
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void testingAfterTheLastEpochOnlyGivesTheSameFinalAccuracy() throws IOException {
        TrainConfig.Builder b = TrainConfig.builder().setDataset(mnist28)
                .setNetwork(new NetworkSpec.ResNet(8)).optEpochs(2).optBatchSize(32);
        TrainResult every = TrainJob.run(b.setOutputDir(dir.resolve("every")).build());
        TrainResult last = TrainJob.run(b.setOutputDir(dir.resolve("last")).optTestEveryEpoch(false)
                .build());
        assertThat(last.finalTestAccuracy()).isEqualTo(every.finalTestAccuracy());
        assertThat(last.bestEpoch()).isEqualTo(2);
        List<String> log = Files.readAllLines(dir.resolve("last").resolve(TrainingLoop.LOG));
        assertThat(Json.MAPPER.readTree(log.get(0)).path("testAccuracy").isNumber()).isFalse();
        assertThat(Json.MAPPER.readTree(log.get(1)).path("testAccuracy").isNumber()).isTrue();
    }

    @Test
    void refusesToOverwriteAndResumesOnlyTheSameRun() throws IOException {
        Path out = dir.resolve("run");
        TrainConfig.Builder b = TrainConfig.builder().setDataset(mnist28)
                .setNetwork(new NetworkSpec.ResNet(8)).setOutputDir(out).optEpochs(1).optBatchSize(32);
        TrainJob.run(b.build());
        assertThatThrownBy(() -> TrainJob.run(b.build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds a run");
        assertThatThrownBy(() -> TrainJob.run(b.optLr(0.05).build(), RunContext.DEFAULT.withResume(true)))
                .isInstanceOf(UserError.class).hasMessageContaining("lr: was 0.1, now 0.05");
        // the same settings resume (as values: a number read back from JSON equals the one just built)
        TrainResult resumed = TrainJob.run(b.optLr(null).build(), RunContext.DEFAULT.withResume(true));
        assertThat(resumed.epochs()).isEqualTo(1);
        // a run killed before its first checkpoint starts afresh under --resume, saying so
        List<String> notes = new ArrayList<>();
        TrainResult fresh = TrainJob.run(b.setOutputDir(dir.resolve("none")).build(),
                RunContext.DEFAULT.withResume(true).withProgress(new ProgressListener() {
                    @Override
                    public void note(String message) {
                        notes.add(message);
                    }
                }));
        assertThat(fresh.epochs()).isEqualTo(1);
        assertThat(notes).singleElement().asString().contains("holds no checkpoint yet").contains("starting it afresh");
    }

    private static TrainConfig cells(String dataset, NetworkSpec.Cells spec, Path out) {
        return TrainConfig.builder().setDataset(dataset).setNetwork(spec).setOutputDir(out).optEpochs(1)
                .optBatchSize(32).build();
    }

    private static String range(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(i * 3);
        }
        return sb.toString();
    }
}
