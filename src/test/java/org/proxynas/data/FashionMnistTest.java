package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The real dataset, from the Debian package (installed here and by CI). */
class FashionMnistTest {

    @Test
    void bothSplitsHaveTheOfficialSizesAndBalancedClasses() throws IOException {
        assumeTrue(Files.isDirectory(Datasets.FASHION_MNIST_SYSTEM_DIR) || System.getenv("PROXYNAS_DATA") != null,
                "Fashion-MNIST not installed");
        ImageDataset train = Datasets.open("fashion-mnist", Split.TRAIN);
        ImageDataset test = Datasets.open("fashion-mnist", Split.TEST);

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(new int[] {train.channels(), train.height(), train.width()}).containsExactly(1, 28, 28);
        assertThat(train.classNames()).containsExactlyElementsOf(Datasets.FASHION_MNIST_CLASSES);
        int[] counts = new int[10];
        for (int label : train.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(6_000);
        assertThat(Datasets.checksum(train)).hasSize(64).isNotEqualTo(Datasets.checksum(test));
        assertThat(Datasets.defaultAugmentation(train)).isEqualTo(new Augmentation(2, false, 0));
    }
}
