package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.data.Fixtures;
import org.proxynas.data.InMemoryImageDataset;
import org.proxynas.data.Split;

/**
 * Both splits a run uses are checked before its first training step: a bad test split fails score and train in
 * the first second, not after their epochs; data info says which split is bad.
 */
class DataValidationTest {
    @TempDir
    Path dir;

    private Path data;
    private Path badImage;

    @BeforeEach
    void writeFolderDataset() throws IOException {
        data = dir.resolve("data");
        InMemoryImageDataset images = Fixtures.random("f", 6, 3, 8, 8, 2, 1);
        Fixtures.writeFolder(data, "train", images, "png");
        Fixtures.writeFolder(data, "val", images, "png");
        badImage = data.resolve("val/1/0003.png");
        assertThat(badImage).exists();
    }

    private CliRun score(Path out) {
        return CliRun.of("score", "folder:" + data, "--image-size", "8", "--epochs", "1", "--batch-size", "2",
                "--out", out.resolve("scores.csv").toString());
    }

    @Test
    void anEmptyTestSplitFailsScoreBeforeTraining() throws IOException {
        for (Path image : List.of(data.resolve("val/0/0000.png"), data.resolve("val/0/0002.png"),
                data.resolve("val/0/0004.png"), data.resolve("val/1/0001.png"), badImage,
                data.resolve("val/1/0005.png"))) {
            Files.delete(image);
        }
        Path out = dir.resolve("out");
        CliRun r = score(out);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas score: " + data.resolve("val")
                + ": no images in its class folders (the " + Split.TEST + " split of folder:" + data + " is empty)");
        assertThat(out.resolve("scores.csv.ckpt")).doesNotExist();
    }

    @Test
    void aDanglingSymbolicLinkIsReportedAsABrokenLinkNamingIt() throws IOException {
        Path gone = dir.resolve("moved-away.png");
        Files.delete(badImage);
        Files.createSymbolicLink(badImage, gone);
        Path out = dir.resolve("out");
        CliRun r = score(out);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas score: " + badImage + ": expected an image file, found a"
                + " broken symbolic link (to " + gone + ", which does not exist)");
    }

    @Test
    void aCorruptTestImageFailsScoreAndTrainBeforeTraining() throws IOException {
        Files.writeString(badImage, "not an image");
        String expected = badImage + ": unreadable image (no decoder recognises it)";

        Path scoreOut = dir.resolve("score");
        CliRun scored = score(scoreOut);
        assertThat(scored.exit()).isEqualTo(2);
        assertThat(scored.errLines()).containsExactly("proxynas score: " + expected);
        assertThat(scoreOut.resolve("scores.csv.ckpt")).doesNotExist();

        Path trainOut = dir.resolve("train");
        CliRun trained = CliRun.of("train", "folder:" + data, "--arch", "resnet20", "--epochs", "1", "--batch-size",
                "2", "--out", trainOut.toString());
        assertThat(trained.exit()).isEqualTo(2);
        assertThat(trained.errLines()).containsExactly("proxynas train: " + expected);
        assertThat(trainOut.resolve("checkpoint.bin")).doesNotExist();
        assertThat(trainOut.resolve("log.jsonl")).doesNotExist();
    }

    @Test
    void dataInfoChecksTheSplitItReportsAndSaysWhichOneIsBad() throws IOException {
        Files.writeString(badImage, "not an image");
        assertThat(CliRun.of("data", "info", "folder:" + data, "--image-size", "8").exit()).isZero();

        CliRun r = CliRun.of("data", "info", "folder:" + data, "--image-size", "8", "--split", "test");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas data info: test split: " + badImage
                + ": unreadable image (no decoder recognises it)");
    }
}
