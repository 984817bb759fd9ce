package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every export is read back with the readers: the subset's pixels and labels, in index order, and the test split. */
class ProxyExportTest {
    private static final int[] SUBSET = {0, 3, 4, 7, 11, 12, 18};

    @TempDir
    Path dir;

    @Test
    void idxKeepsGzipAndLinksTheTestSplit() throws IOException {
        Path src = dir.resolve("src");
        Fixtures.writeIdx(src, Fixtures.random("a", 20, 1, 6, 5, 4, 1), Fixtures.random("b", 8, 1, 6, 5, 4, 2), true);
        Path out = dir.resolve("out");
        exportAndCompare("idx:" + src, "idx:" + out, out);
        assertThat(out.resolve("train-images-idx3-ubyte.gz")).exists();
        assertThat(Datasets.open("idx:" + out, Split.TEST).size()).isEqualTo(8);
    }

    @Test
    void cifar10SpreadsOverFiveBatches() throws IOException {
        Path src = dir.resolve("src");
        Fixtures.writeCifar10(src, Fixtures.random("a", 20, 3, 32, 32, 10, 3), Fixtures.random("b", 4, 3, 32, 32, 10, 4),
                null);
        Path out = dir.resolve("out");
        exportAndCompare("cifar10:" + src, "cifar10:" + out, out);
        assertThat(Datasets.open("cifar10:" + out, Split.TEST).size()).isEqualTo(4);
        assertThatThrownBy(() -> ProxyExport.write("cifar10:" + src, Datasets.open("cifar10:" + src, Split.TRAIN),
                new int[] {1, 2}, dir.resolve("few"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 5");
    }

    @Test
    void cifar100KeepsCoarseLabels() throws IOException {
        Path src = dir.resolve("src");
        Fixtures.writeCifar100(src, Fixtures.random("a", 20, 3, 32, 32, 100, 5), Fixtures.random("b", 4, 3, 32, 32, 100, 6));
        Path out = dir.resolve("out");
        exportAndCompare("cifar100:" + src, "cifar100:" + out, out);
        DatasetOptions coarse = new DatasetOptions("coarse", 32);
        ImageDataset full = Datasets.open("cifar100:" + src, Split.TRAIN, coarse);
        ImageDataset back = Datasets.open("cifar100:" + out, Split.TRAIN, coarse);
        for (int j = 0; j < SUBSET.length; j++) {
            assertThat(back.label(j)).isEqualTo(full.label(SUBSET[j]));
        }
    }

    @Test
    void svhnWritesAMatFileTheReaderAccepts() throws IOException {
        Path src = dir.resolve("src");
        Fixtures.writeSvhn(src.resolve("train_32x32.mat"), Fixtures.random("a", 20, 3, 32, 32, 10, 7));
        Fixtures.writeSvhn(src.resolve("test_32x32.mat"), Fixtures.random("b", 3, 3, 32, 32, 10, 8));
        Path out = dir.resolve("out");
        exportAndCompare("svhn:" + src, "svhn:" + out, out);
    }

    @Test
    void folderLinksTheSelectedImages() throws IOException {
        Path src = dir.resolve("src");
        Fixtures.writeFolder(src, "train", Fixtures.random("a", 20, 3, 8, 8, 3, 9), "png");
        Fixtures.writeFolder(src, "val", Fixtures.random("b", 6, 3, 8, 8, 3, 10), "png");
        Path out = dir.resolve("out");
        exportAndCompare("folder:" + src, "folder:" + out, out);
        assertThat(Files.isSymbolicLink(out.resolve("val"))).isTrue();
    }

    private static void exportAndCompare(String source, String exported, Path out) throws IOException {
        ImageDataset full = Datasets.open(source, Split.TRAIN);
        ProxyExport.write(source, full, SUBSET, out);
        ImageDataset back = Datasets.open(exported, Split.TRAIN);
        assertThat(back.size()).isEqualTo(SUBSET.length);
        byte[] expected = new byte[full.imageBytes()];
        byte[] actual = new byte[full.imageBytes()];
        for (int j = 0; j < SUBSET.length; j++) {
            full.readImage(SUBSET[j], expected, 0);
            back.readImage(j, actual, 0);
            assertThat(actual).as("image %d", j).isEqualTo(expected);
            assertThat(back.label(j)).isEqualTo(full.label(SUBSET[j]));
        }
    }
}
