package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.common.UserError;

class IdxReaderTest {
    @TempDir
    Path dir;

    private final InMemoryImageDataset train = Fixtures.random("t", 30, 1, 6, 5, 4, 1);
    private final InMemoryImageDataset test = Fixtures.random("t", 12, 1, 6, 5, 3, 2);

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsBothSplitsGzippedOrNot(boolean gzip) throws IOException {
        Fixtures.writeIdx(dir, train, test, gzip);
        ImageDataset tr = Datasets.open("idx:" + dir, Split.TRAIN);
        ImageDataset te = Datasets.open("idx:" + dir, Split.TEST);

        assertThat(tr.name()).isEqualTo("idx:" + dir);
        assertThat(tr.size()).isEqualTo(30);
        assertThat(te.size()).isEqualTo(12);
        assertThat(new int[] {tr.channels(), tr.height(), tr.width()}).containsExactly(1, 6, 5);
        assertThat(tr.labels()).containsExactly(train.labelArray());
        assertThat(te.classNames()).as("test split numbers the training split's classes")
                .containsExactly("0", "1", "2", "3");
        byte[] img = new byte[30];
        tr.readImage(7, img, 0);
        assertThat(img).containsExactly(Arrays.copyOfRange(train.pixels(), 7 * 30, 8 * 30));
        assertThat(Datasets.checksum(tr)).isEqualTo(Datasets.checksum(train));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSubsetReadsOnlyItsOwnImagesAndAFullPassDoesNotLoadTheSplit(boolean gzip) throws IOException {
        Fixtures.writeIdx(dir, train, test, gzip);
        ImageDataset tr = Datasets.open("idx:" + dir, Split.TRAIN);
        assertThat(Datasets.checksum(tr)).isEqualTo(Datasets.checksum(train));
        // Cut the file after image 9 behind the dataset's back: what reads only the first ten images still works.
        byte[] head = Arrays.copyOf(Fixtures.idxImages(train), 16 + 10 * 30);
        Fixtures.write(dir.resolve("train-images-idx3-ubyte" + (gzip ? ".gz" : "")), head, gzip);

        ImageDataset sub = tr.subset(new int[] {7, 2, 7, 0});
        assertThat(sub.labels()).containsExactly(train.label(7), train.label(2), train.label(7), train.label(0));
        byte[] img = new byte[30];
        for (int j = 0; j < 4; j++) {
            sub.readImage(j, img, 0);
            int index = new int[] {7, 2, 7, 0}[j];
            assertThat(img).as("image %d", index)
                    .containsExactly(Arrays.copyOfRange(train.pixels(), index * 30, (index + 1) * 30));
        }
        assertThatThrownBy(() -> tr.readImage(0, img, 0))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("ends before image 10 (changed since it was opened?)");
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Fixtures.writeIdx(dir, train, test, false);
        byte[] bytes = Fixtures.idxImages(train);
        bytes[3] = 0x01;
        Files.write(dir.resolve("train-images-idx3-ubyte"), bytes);
        assertThatThrownBy(() -> Datasets.open("idx:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("train-images-idx3-ubyte") + ": bad IDX magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void truncatedImagesAreNamed() throws IOException {
        Fixtures.writeIdx(dir, train, test, false);
        byte[] bytes = Fixtures.idxImages(train);
        Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(bytes, bytes.length - 7));
        assertThatThrownBy(() -> Datasets.open("idx:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("train-images-idx3-ubyte: header promises 30 images of 6x5 (916 bytes), file has 909 bytes");
    }

    @Test
    void countMismatchIsNamed() throws IOException {
        Fixtures.writeIdx(dir, train, test, false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), Fixtures.idxLabels(new int[11]));
        assertThatThrownBy(() -> Datasets.open("idx:" + dir, Split.TEST))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte: 11 labels but t10k-images-idx3-ubyte has 12 images");
    }

    @Test
    void testLabelOutsideTrainingClassesIsNamed() throws IOException {
        Fixtures.writeIdx(dir, train, test, false);
        int[] labels = test.labelArray().clone();
        labels[5] = 9;
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), Fixtures.idxLabels(labels));
        assertThatThrownBy(() -> Datasets.open("idx:" + dir, Split.TEST))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte: label 9 of example 5 is outside 0..3");
    }

    @Test
    void corruptAndTruncatedGzipAreNamed() throws IOException {
        Fixtures.writeIdx(dir, train, test, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> Datasets.open("idx:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessage(images + ": truncated gzip data (unexpected end of file)");

        gz[0] = 0;
        Files.write(images, gz);
        assertThatThrownBy(() -> Datasets.open("idx:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(images + ": corrupt gzip data (");
    }

    @Test
    void missingFilesAndBadSpecsAreUserErrors() {
        assertThatThrownBy(() -> Datasets.open("idx:" + dir.resolve("nope"), Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> Datasets.open("idx:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> Datasets.open("mnist", Split.TRAIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mnist': expected fashion-mnist, idx:DIR");
    }
}
