package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;

class FolderDatasetTest {
    @TempDir
    Path dir;

    /** Three classes named so that sorting matters; 8×8 images. */
    private InMemoryImageDataset images(int n, long seed) {
        InMemoryImageDataset r = Fixtures.random("f", n, 3, 8, 8, 3, seed);
        return new InMemoryImageDataset("f", Split.TRAIN, 3, 8, 8, List.of("zebra", "ant", "moose"), r.pixels(),
                r.labelArray());
    }

    @Test
    void classesAreSortedSubfoldersAndPngPixelsSurviveAtNativeSize() throws IOException {
        InMemoryImageDataset train = images(9, 1);
        Fixtures.writeFolder(dir, "train", train, "png");
        Fixtures.writeFolder(dir, "val", images(4, 2), "png");
        ImageDataset d = Datasets.open("folder:" + dir, Split.TRAIN, new DatasetOptions("fine", 8));
        assertThat(d.classNames()).containsExactly("ant", "moose", "zebra");
        assertThat(d.size()).isEqualTo(9);
        // Example order: class (sorted), then file name. Original example 1 is the first "ant".
        assertThat(d.label(0)).isZero();
        byte[] img = new byte[192];
        d.readImage(0, img, 0);
        assertThat(img).containsExactly(Arrays.copyOfRange(train.pixels(), 192, 2 * 192));
        assertThat(Datasets.open("folder:" + dir, Split.TEST, new DatasetOptions("fine", 8)).size()).isEqualTo(4);
        assertThat(Datasets.defaultAugmentation(d)).isEqualTo(new Augmentation(1, true, 0));
    }

    @Test
    void imagesAreResizedToTheRequestedSquare() throws IOException {
        Fixtures.writeFolder(dir, "train", images(3, 3), "jpg");
        ImageDataset d = Datasets.open("folder:" + dir, Split.TRAIN, new DatasetOptions("fine", 5));
        assertThat(new int[] {d.channels(), d.height(), d.width()}).containsExactly(3, 5, 5);
        byte[] a = new byte[75];
        byte[] b = new byte[75];
        d.readImage(2, a, 0);
        d.readImage(2, b, 0);
        assertThat(a).containsExactly(b);
        assertThat(Datasets.checksum(d)).hasSize(64);
    }

    @Test
    void largeImagesAreScaledByTheShorterSideAndCentreCropped() throws IOException {
        // 400x300: left half red, right half blue, a 20-px green band at the top.
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                img.setRGB(x, y, y < 20 ? 0x00FF00 : x < 200 ? 0xFF0000 : 0x0000FF);
            }
        }
        Files.createDirectories(dir.resolve("train/only"));
        ImageIO.write(img, "png", dir.resolve("train/only/big.png").toFile());
        ImageDataset d = Datasets.open("folder:" + dir, Split.TRAIN, new DatasetOptions("fine", 32));
        byte[] px = new byte[3 * 32 * 32];
        d.readImage(0, px, 0);
        // Scaled to 43x32 then cropped 5 px from the left: the colour edge lands near column 16.
        assertThat(rgb(px, 16, 2)).isEqualTo(0xFF0000);
        assertThat(rgb(px, 16, 29)).isEqualTo(0x0000FF);
        assertThat(rgb(px, 0, 8)).isEqualTo(0x00FF00);
        assertThat(rgb(px, 31, 8)).isEqualTo(0xFF0000);
    }

    private static int rgb(byte[] px, int y, int x) {
        int p = y * 32 + x;
        return (px[p] & 0xFF) << 16 | (px[1024 + p] & 0xFF) << 8 | (px[2048 + p] & 0xFF);
    }

    @Test
    void unreadableImageUnknownFileAndUnknownValClassAreNamed() throws IOException {
        Fixtures.writeFolder(dir, "train", images(3, 4), "png");
        Path broken = dir.resolve("train/ant/0000.png");
        Files.write(broken, new byte[] {1, 2, 3});
        ImageDataset d = Datasets.open("folder:" + dir, Split.TRAIN);
        assertThatThrownBy(() -> Datasets.checksum(d))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(broken + ": unreadable image");

        Path notes = dir.resolve("train/ant/notes.txt");
        Files.writeString(notes, "hi");
        assertThatThrownBy(() -> Datasets.open("folder:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(notes + ": not an image file (expected extension ");
        Files.delete(notes);

        Files.createDirectories(dir.resolve("val/wolf"));
        assertThatThrownBy(() -> Datasets.open("folder:" + dir, Split.TEST))
                .isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("val/wolf") + ": class folder is not one of the 3 classes in " + dir.resolve("train"));
    }

    @Test
    void loaderDecodesInParallelYetMatchesTheInMemoryCopy() throws IOException {
        Fixtures.writeFolder(dir, "train", images(37, 6), "png");
        ImageDataset folder = Datasets.open("folder:" + dir, Split.TRAIN, new DatasetOptions("fine", 8));
        byte[] pixels = new byte[folder.size() * folder.imageBytes()];
        for (int i = 0; i < folder.size(); i++) {
            folder.readImage(i, pixels, i * folder.imageBytes());
        }
        ImageDataset copy = new InMemoryImageDataset(folder.name(), Split.TRAIN, 3, 8, 8, folder.classNames(), pixels,
                folder.labels());
        assertThat(folder.inMemory()).isFalse();
        assertThat(copy.inMemory()).isTrue();
        try (NDManager manager = NDManager.newBaseManager()) {
            Iterator<DataLoader.Batch> a = loader(folder).epoch(manager, 2);
            Iterator<DataLoader.Batch> b = loader(copy).epoch(manager, 2);
            int batches = 0;
            while (a.hasNext()) {
                try (DataLoader.Batch x = a.next(); DataLoader.Batch y = b.next()) {
                    assertThat(x.images().toFloatArray()).containsExactly(y.images().toFloatArray());
                    assertThat(x.labels().toLongArray()).containsExactly(y.labels().toLongArray());
                    batches++;
                }
            }
            assertThat(batches).isEqualTo(4);
            assertThat(b.hasNext()).isFalse();

            Path broken = dir.resolve("train/moose/0002.png");
            Files.write(broken, new byte[] {9});
            ImageDataset reopened = Datasets.open("folder:" + dir, Split.TRAIN, new DatasetOptions("fine", 8));
            assertThatThrownBy(() -> loader(reopened).epoch(manager, 0).forEachRemaining(DataLoader.Batch::close))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining(broken + ": unreadable image");
        }
    }

    private static DataLoader loader(ImageDataset d) {
        return DataLoader.builder().setDataset(d).setBatchSize(10).optShuffle(true).optSeed(3)
                .optAugmentation(new Augmentation(2, true, 3)).build();
    }

    @Test
    void cacheIsBoundedButReadsStayCorrect() throws IOException {
        InMemoryImageDataset train = images(6, 5);
        Fixtures.writeFolder(dir, "train", train, "png");
        FolderDataset d = FolderDataset.open("folder:x", dir, Split.TRAIN, 8, 2 * 192);
        byte[] first = new byte[192];
        byte[] again = new byte[192];
        d.readImage(0, first, 0);
        for (int i = 1; i < 6; i++) {
            d.readImage(i, new byte[192], 0);
        }
        d.readImage(0, again, 0);
        assertThat(again).containsExactly(first);
        assertThat(d.cachedImages()).isEqualTo(2);
    }
}
