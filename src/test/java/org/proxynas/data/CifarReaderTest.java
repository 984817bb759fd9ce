package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;

class CifarReaderTest {
    private static final List<String> NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    @TempDir
    Path dir;

    private final InMemoryImageDataset train = Fixtures.random("c", 23, 3, 32, 32, 10, 4);
    private final InMemoryImageDataset test = Fixtures.random("c", 7, 3, 32, 32, 10, 5);

    @Test
    void cifar10ConcatenatesTheFiveBatchesInOrder() throws IOException {
        Fixtures.writeCifar10(dir, train, test, NAMES);
        ImageDataset tr = Datasets.open("cifar10:" + dir, Split.TRAIN);
        ImageDataset te = Datasets.open("cifar10:" + dir, Split.TEST);
        assertThat(tr.size()).isEqualTo(23);
        assertThat(te.size()).isEqualTo(7);
        assertThat(tr.classNames()).containsExactlyElementsOf(NAMES);
        assertThat(Datasets.checksum(tr)).isEqualTo(Datasets.checksum(train));
        assertThat(Datasets.checksum(te)).isEqualTo(Datasets.checksum(test));
        assertThat(Datasets.defaultAugmentation(tr)).isEqualTo(new Augmentation(4, true, 0));
    }

    @Test
    void archiveFolderIsFoundAndNamesDefaultToNumbers() throws IOException {
        Fixtures.writeCifar10(dir.resolve("cifar-10-batches-bin"), train, test, null);
        ImageDataset tr = Datasets.open("cifar10:" + dir, Split.TRAIN);
        assertThat(tr.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void cifar100ReadsFineOrCoarseLabelsAndTheirNames() throws IOException {
        InMemoryImageDataset fine = Fixtures.random("c", 12, 3, 32, 32, 100, 6);
        int[] labels = fine.labelArray().clone();
        labels[3] = 99;
        fine = new InMemoryImageDataset("c", Split.TRAIN, 3, 32, 32, DataFiles.numberNames(100), fine.pixels(), labels);
        Fixtures.writeCifar100(dir, fine, fine);
        Files.writeString(dir.resolve("coarse_label_names.txt"), String.join("\n", DataFiles.numberNames(20)).replace("1", "one"));
        ImageDataset f = Datasets.open("cifar100:" + dir, Split.TRAIN);
        ImageDataset c = Datasets.open("cifar100:" + dir, Split.TEST, new DatasetOptions("coarse", 32));
        assertThat(f.numClasses()).isEqualTo(100);
        assertThat(f.labels()).containsExactly(labels);
        assertThat(c.numClasses()).isEqualTo(20);
        assertThat(c.classNames().get(1)).isEqualTo("one");
        assertThat(c.labels()).containsExactly(Arrays.stream(labels).map(l -> l / 5).toArray());
    }

    @Test
    void truncatedFileBadLabelAndWrongNameCountAreNamed() throws IOException {
        Fixtures.writeCifar10(dir, train, test, NAMES);
        Path batch = dir.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> Datasets.open("cifar10:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessage(batch + ": size " + (bytes.length - 100)
                        + " is not a positive multiple of the 3073-byte CIFAR-10 record (truncated or wrong format?)");

        Path testFile = dir.resolve("test_batch.bin");
        bytes = Files.readAllBytes(testFile);
        bytes[3073 * 2] = 10;
        Files.write(testFile, bytes);
        assertThatThrownBy(() -> Datasets.open("cifar10:" + dir, Split.TEST))
                .isInstanceOf(UserError.class)
                .hasMessage(testFile + ": label 10 of record 2 is outside 0..9");

        Fixtures.writeCifar10(dir, train, test, NAMES.subList(0, 9));
        assertThatThrownBy(() -> Datasets.open("cifar10:" + dir, Split.TEST))
                .isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("batches.meta.txt") + ": 9 class names, expected 10");

        Files.delete(dir.resolve("batches.meta.txt"));
        Files.delete(dir.resolve("data_batch_5.bin"));
        assertThatThrownBy(() -> Datasets.open("cifar10:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("data_batch_5.bin");
    }
}
