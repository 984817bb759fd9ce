package org.proxynas.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Progress;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.RunContext;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.TrainResult;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.NetworkSpec;

/** Predictions of a ResNet-8 trained one epoch on the tests' 2,000 Fashion-MNIST images, tested on all 1,000. */
class PredictJobTest {
    @TempDir
    static Path dir;

    private static Path model;
    private static TrainResult trained;

    @BeforeAll
    static void train() throws IOException {
        Path out = dir.resolve("train");
        trained = TrainJob.run(TrainConfig.builder().setDataset(Datasets.FASHION_MNIST)
                .setNetwork(new NetworkSpec.ResNet(8)).setOutputDir(out).optEpochs(1).optBatchSize(64).build());
        model = out.resolve(ModelDirectory.DIR);
    }

    /** Records the progress bars a run opens. */
    private static final class Bars implements ProgressListener {
        final List<String> opened = new ArrayList<>();

        @Override
        public Progress bar(String task, long total, String unit) {
            opened.add(task + " " + total + " " + unit);
            return ProgressListener.super.bar(task, total, unit);
        }
    }

    @Test
    void onTheDatasetItWasTrainedOnTheAccuracyIsResultJsons() throws IOException {
        Bars bars = new Bars();
        PredictResult all = PredictJob.run(PredictConfig.dataset(model, Datasets.FASHION_MNIST, 0),
                RunContext.DEFAULT.withProgress(bars), p -> {});
        assertThat(trained.testExamples()).isEqualTo(1000);
        assertThat(all.dataset().examples()).isEqualTo(1000);
        assertThat(all.dataset().accuracy()).isEqualTo(trained.finalTestAccuracy());
        assertThat(all.dataset().finalTestAccuracy()).isEqualTo(trained.finalTestAccuracy());
        assertThat(bars.opened).containsExactly("test 1000 img");

        PredictResult first = PredictJob.run(PredictConfig.dataset(model, Datasets.FASHION_MNIST, 100),
                RunContext.DEFAULT.withProgress(bars), p -> {});
        assertThat(first.dataset().examples()).isEqualTo(100);
        assertThat(first.dataset().finalTestAccuracy()).as("not the examples result.json counts").isNull();
        assertThat(bars.opened).as("no bar for 100 images").hasSize(1);
    }

    /**
     * The first 70 test images as PNG files in a folder tree, with files that are not images beside them: every image
     * is classified, in path order, and the right ones are as many as the dataset path counts on those 70.
     */
    @Test
    void folderImagesAreClassifiedInPathOrderWithTheirTopClasses() throws IOException {
        ImageDataset test = Datasets.open(Datasets.FASHION_MNIST, Split.TEST);
        Path images = Files.createDirectories(dir.resolve("images/nested"));
        for (int i = 0; i < 70; i++) {
            PixelImages.png(test, i, (i % 2 == 0 ? images : images.getParent()).resolve(String.format("%03d.png", i)));
        }
        Files.writeString(images.resolve("README.txt"), "not an image");
        Files.writeString(images.resolve(".hidden.png"), "not an image either");

        List<ImagePrediction> predictions = new ArrayList<>();
        PredictResult r = PredictJob.run(PredictConfig.images(model, List.of(images.getParent()), 3),
                RunContext.DEFAULT, predictions::add);
        assertThat(r.images()).isEqualTo(70);
        assertThat(predictions).extracting(ImagePrediction::image).isSorted().hasSize(70);
        int correct = 0;
        for (ImagePrediction p : predictions) {
            assertThat(p.top()).hasSize(3);
            assertThat(p.top().get(0).probability()).isGreaterThanOrEqualTo(p.top().get(1).probability());
            int index = Integer.parseInt(Path.of(p.image()).getFileName().toString().substring(0, 3));
            if (p.top().get(0).className().equals(test.classNames().get(test.label(index)))) {
                correct++;
            }
        }
        PredictResult first70 = PredictJob.run(PredictConfig.dataset(model, Datasets.FASHION_MNIST, 70),
                RunContext.DEFAULT, p -> {});
        assertThat(correct).isEqualTo((int) Math.round(first70.dataset().accuracy() * 70));
    }
}
