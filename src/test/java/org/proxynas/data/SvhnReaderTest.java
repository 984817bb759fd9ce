package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

class SvhnReaderTest {
    @TempDir
    Path dir;

    private final InMemoryImageDataset digits = Fixtures.random("s", 13, 3, 32, 32, 10, 8);

    @Test
    void readsTheOfficialLayoutWithTenMeaningZero() throws IOException {
        Fixtures.writeSvhn(dir.resolve("train_32x32.mat"), digits);
        ImageDataset d = Datasets.open("svhn:" + dir, Split.TRAIN);
        assertThat(d.size()).isEqualTo(13);
        assertThat(d.labels()).containsExactly(digits.labelArray());
        assertThat(d.label(0)).isZero();
        byte[] img = new byte[3072];
        d.readImage(5, img, 0);
        assertThat(img).containsExactly(Arrays.copyOfRange(digits.pixels(), 5 * 3072, 6 * 3072));
        assertThat(Datasets.checksum(d)).isEqualTo(Datasets.checksum(digits));
        assertThat(Datasets.defaultAugmentation(d)).isEqualTo(new Augmentation(4, false, 0));
    }

    @Test
    void truncatedFileIsNamed() throws IOException {
        Path file = dir.resolve("test_32x32.mat");
        Fixtures.writeSvhn(file, digits);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Datasets.open("svhn:" + dir, Split.TEST))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(file + ": not a readable MATLAB v5 file (");
    }

    @Test
    void badShapeBadLabelAndCountMismatchAreNamed() throws IOException {
        Path file = dir.resolve("train_32x32.mat");
        write(file, Mat5.newMatrix(new int[] {32, 32, 1, 2}, MatlabType.UInt8), labels(1, 2));
        assertThatThrownBy(() -> Datasets.open("svhn:" + dir, Split.TRAIN))
                .hasMessage(file + ": X has dimensions [32, 32, 1, 2], expected [32, 32, 3, N]");

        write(file, Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.UInt8), labels(1, 2, 3));
        assertThatThrownBy(() -> Datasets.open("svhn:" + dir, Split.TRAIN))
                .hasMessage(file + ": y has dimensions [3, 1] but X has 2 images, expected [2, 1]");

        write(file, Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.UInt8), labels(1, 11));
        assertThatThrownBy(() -> Datasets.open("svhn:" + dir, Split.TRAIN))
                .isInstanceOf(UserError.class)
                .hasMessage(file + ": label 11.0 of example 1 is outside 1..10");

        try (MatFile mat = Mat5.newMatFile().addArray("X", Mat5.newMatrix(new int[] {32, 32, 3, 1}, MatlabType.UInt8))) {
            Mat5.writeToFile(mat, file.toFile());
        }
        assertThatThrownBy(() -> Datasets.open("svhn:" + dir, Split.TRAIN))
                .hasMessage(file + ": no variable y (expected X and y as in the official files)");
    }

    private static Matrix labels(int... values) {
        Matrix y = Mat5.newMatrix(values.length, 1);
        for (int i = 0; i < values.length; i++) {
            y.setDouble(i, values[i]);
        }
        return y;
    }

    private static void write(Path file, Matrix x, Matrix y) throws IOException {
        try (MatFile mat = Mat5.newMatFile().addArray("X", x).addArray("y", y)) {
            Mat5.writeToFile(mat, file.toFile());
        }
    }
}
