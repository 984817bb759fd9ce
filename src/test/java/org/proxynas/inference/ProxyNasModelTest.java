package org.proxynas.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.TrainResult;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;
import org.proxynas.train.NetworkSpec;
import org.proxynas.train.TinyIdx;

/** The model directory a training writes, read back through DJL's ordinary loading API. */
class ProxyNasModelTest {
    private static final int TEST_IMAGES = 64;

    @TempDir
    static Path dir;

    private static String dataset;
    private static Path trainDir;
    private static Path model;
    private static TrainResult result;

    @BeforeAll
    static void train() throws IOException {
        dataset = TinyIdx.write(dir.resolve("data"), 192, TEST_IMAGES, 0);
        trainDir = dir.resolve("train");
        result = TrainJob.run(TrainConfig.builder().setDataset(dataset)
                .setNetwork(new NetworkSpec.ResNet(8)).setOutputDir(trainDir).optEpochs(2).optBatchSize(32).build());
        model = trainDir.resolve(ModelDirectory.DIR);
    }

    @Test
    void theManifestHoldsWhatInferenceNeeds() throws IOException {
        assertThat(model.resolve("proxynas-0000.params")).isNotEmptyFile();
        assertThat(model.resolve(ModelDirectory.SERVING_PROPERTIES)).content().contains("engine=PyTorch");
        ModelManifest m = ModelDirectory.read(model);
        ImageDataset train = Datasets.open(dataset, Split.TRAIN);
        assertThat(m.formatVersion()).isEqualTo(1);
        assertThat(m.network()).isEqualTo(new NetworkSpec.ResNet(8));
        assertThat(m.input()).isEqualTo(new ModelManifest.InputShape(1, 28, 28));
        assertThat(m.normalization()).isEqualTo(Normalization.of(train));
        assertThat(m.classNames()).isEqualTo(train.classNames());
        assertThat(m.dataset()).isEqualTo(dataset);
        assertThat(m.trainSplitSha256()).isEqualTo(Datasets.checksum(train));
        assertThat(m.training()).isEqualTo(new ModelManifest.Training(2, 32, 192, TEST_IMAGES,
                result.finalTestAccuracy()));
        assertThat(m.provenance().djlVersion()).isNotBlank();
    }

    /**
     * Each test image saved as a PNG, classified one by one through the predictor: the translator prepares it as the
     * test did, so the share classified right is result.json's final test accuracy.
     */
    @Test
    void thePredictorOnImageFilesReproducesTheTestAccuracy() throws Exception {
        ImageDataset test = Datasets.open(dataset, Split.TEST);
        int correct = 0;
        try (ZooModel<Image, Classifications> zoo = ProxyNasModel.load(model);
                Predictor<Image, Classifications> predictor = zoo.newPredictor()) {
            for (int i = 0; i < test.size(); i++) {
                Path png = PixelImages.png(test, i, dir.resolve("test-" + i + ".png"));
                Classifications c = predictor.predict(ImageFactory.getInstance().fromFile(png));
                if (c.best().getClassName().equals(test.classNames().get(test.label(i)))) {
                    correct++;
                }
                assertThat(c.items().stream().mapToDouble(Classifications.Classification::getProbability).sum())
                        .isCloseTo(1.0, offset(1e-6));
            }
        }
        assertThat((double) correct / test.size()).isEqualTo(result.finalTestAccuracy());
    }

    /**
     * serving.properties lets DJL's Criteria load the directory from its path and DJL's deferred translator
     * factory alone, under any name.
     */
    @Test
    void djlsCriteriaLoadsTheDirectoryByItsPathAlone() throws Exception {
        Path renamed = dir.resolve("my-classifier");
        copy(model, renamed);
        ImageDataset test = Datasets.open(dataset, Split.TEST);
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(ImageFactory.getInstance().fromImage(PixelImages.gray(test, i)));
        }
        Criteria<Image, Classifications> plain = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(renamed).optTranslatorFactory(new DeferredTranslatorFactory()).build();
        try (ZooModel<Image, Classifications> djl = plain.loadModel();
                Predictor<Image, Classifications> viaDjl = djl.newPredictor();
                ZooModel<Image, Classifications> ours = ProxyNasModel.load(model);
                Predictor<Image, Classifications> viaUs = ours.newPredictor()) {
            List<Classifications> a = viaDjl.batchPredict(images);
            List<Classifications> b = viaUs.batchPredict(images);
            for (int i = 0; i < images.size(); i++) {
                assertThat(a.get(i).items()).usingRecursiveComparison().isEqualTo(b.get(i).items());
            }
        }
    }

    @Test
    void whatIsNotACompleteModelOfAKnownVersionIsRefusedWithOneLine() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ProxyNasModel.load(empty)).isInstanceOf(UserError.class)
                .hasMessage(empty + ": not a ProxyNAS model directory (no model.json)");
        assertThatThrownBy(() -> ModelDirectory.read(trainDir)).isInstanceOf(UserError.class)
                .hasMessage(trainDir + ": a training's output directory; its model is " + model);
        Path file = trainDir.resolve(TrainJob.RESULT);
        assertThatThrownBy(() -> ModelDirectory.read(file)).isInstanceOf(UserError.class)
                .hasMessageStartingWith(file + ": not a model directory");
        assertThatThrownBy(() -> ModelDirectory.read(dir.resolve("missing"))).isInstanceOf(UserError.class)
                .hasMessage("no such file: " + dir.resolve("missing"));

        Path foreign = copy(model, dir.resolve("foreign"));
        Files.writeString(foreign.resolve(ModelDirectory.MANIFEST), "{\"format\": \"something-else\"}");
        assertThatThrownBy(() -> ModelDirectory.read(foreign)).isInstanceOf(UserError.class)
                .hasMessageContaining("model.json: not a ProxyNAS model");

        Path future = copy(model, dir.resolve("future"));
        ObjectNode manifest = (ObjectNode) Json.read(future.resolve(ModelDirectory.MANIFEST), JsonNode.class);
        manifest.put("formatVersion", 99);
        Json.write(future.resolve(ModelDirectory.MANIFEST), manifest);
        assertThatThrownBy(() -> ModelDirectory.read(future)).isInstanceOf(UserError.class)
                .hasMessage(future.resolve(ModelDirectory.MANIFEST) + ": model format version 99 is not one this"
                        + " ProxyNAS reads (1); use the ProxyNAS that wrote it");

        Path incomplete = copy(model, dir.resolve("incomplete"));
        Files.delete(incomplete.resolve("proxynas-0000.params"));
        assertThatThrownBy(() -> ModelDirectory.read(incomplete)).isInstanceOf(UserError.class)
                .hasMessage(incomplete + ": incomplete model: its weights proxynas-0000.params are missing");

        Path damaged = copy(model, dir.resolve("damaged"));
        Path weights = damaged.resolve("proxynas-0000.params");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ProxyNasModel.load(damaged)).isInstanceOf(UserError.class)
                .hasMessageContaining(weights + ": not the weights model.json was written with");
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
