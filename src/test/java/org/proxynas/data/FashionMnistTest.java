package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fashion-MNIST as the tests see it (the shipped subset, via PROXYNAS_DATA) and, when the Debian package is
 * installed, the real one, read through the same IDX reader.
 */
class FashionMnistTest {

    @Test
    void theTestsReadTheShippedSubset() throws IOException {
        ImageDataset train = Datasets.open("fashion-mnist", Split.TRAIN);
        ImageDataset test = Datasets.open("fashion-mnist", Split.TEST);
        assertThat(train.size()).isEqualTo(2_000);
        assertThat(test.size()).isEqualTo(1_000);
        assertThat(train.classNames()).containsExactlyElementsOf(Datasets.FASHION_MNIST_CLASSES);
        assertThat(Datasets.defaultAugmentation(train)).isEqualTo(new Augmentation(2, false, 0));
    }

    @Test
    void theInstalledPackageHasTheOfficialSizesAndBalancedClasses() throws IOException {
        // the package's files, not its folder: an interrupted install leaves the folder empty
        assumeTrue(Stream.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz").allMatch(f -> Files.isRegularFile(Datasets.FASHION_MNIST_SYSTEM_DIR.resolve(f))),
                "the Debian package is not installed (or its install did not finish)");
        String spec = "idx:" + Datasets.FASHION_MNIST_SYSTEM_DIR;
        ImageDataset train = Datasets.open(spec, Split.TRAIN);
        ImageDataset test = Datasets.open(spec, Split.TEST);

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(new int[] {train.channels(), train.height(), train.width()}).containsExactly(1, 28, 28);
        int[] counts = new int[10];
        for (int label : train.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(6_000);
        assertThat(Datasets.checksum(train)).hasSize(64).isNotEqualTo(Datasets.checksum(test));
        // the shipped subset is the package's first images, byte for byte
        ImageDataset shipped = Datasets.open("fashion-mnist", Split.TRAIN);
        int[] first = java.util.stream.IntStream.range(0, shipped.size()).toArray();
        assertThat(Datasets.checksum(train.subset(first))).isEqualTo(Datasets.checksum(shipped));
    }
}
