package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;

class ImagePixelsTest {
    @TempDir
    Path dir;

    /** A Fashion-MNIST image saved as a gray PNG reads back as the dataset holds it, byte for byte. */
    @Test
    void aGrayPngOfTheInputSizeKeepsItsBytes() throws IOException {
        ImageDataset test = Datasets.open(Datasets.FASHION_MNIST, Split.TEST);
        byte[] pixels = new byte[test.imageBytes()];
        test.readImage(0, pixels, 0);
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setDataElements(0, 0, 28, 28, pixels);
        Path png = dir.resolve("0.png");
        ImageIO.write(gray, "png", png.toFile());

        assertThat(ImagePixels.read(png, 1, 28, 28)).containsExactly(pixels);
        byte[] rgb = ImagePixels.read(png, 3, 28, 28);
        for (int c = 0; c < 3; c++) {
            assertThat(Arrays.copyOfRange(rgb, c * 784, (c + 1) * 784)).containsExactly(pixels);
        }
    }

    @Test
    void colourBecomesLuminanceAndLargerImagesAreScaledAndCentreCropped() {
        // 4×2, left half red, right half blue: covering a 1×1 target keeps the middle, a 2×2 target both colours
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, x < 2 ? 0xFF0000 : 0x0000FF);
            }
        }
        byte[] gray = ImagePixels.fit(image, 1, 2, 2);
        // Java2D's luminance, (77 R + 150 G + 29 B + 128) / 256, as PIL's 0.299 / 0.587 / 0.114
        assertThat(gray[0] & 0xFF).isEqualTo(77);
        assertThat(gray[1] & 0xFF).isEqualTo(29);
        byte[] rgb = ImagePixels.fit(image, 3, 2, 2);
        assertThat(new int[] {rgb[0] & 0xFF, rgb[4] & 0xFF, rgb[8] & 0xFF}).containsExactly(255, 0, 0);
        assertThat(new int[] {rgb[1] & 0xFF, rgb[5] & 0xFF, rgb[9] & 0xFF}).containsExactly(0, 0, 255);
        assertThat(ImagePixels.fit(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), 3, 32, 32))
                .hasSize(3 * 32 * 32);
    }

    @Test
    void aFileThatIsNoImageIsAnErrorNamingIt() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        assertThatThrownBy(() -> ImagePixels.read(text, 1, 28, 28)).isInstanceOf(UserError.class)
                .hasMessage(text + ": unreadable image (no decoder recognises it)");
        assertThat(ImagePixels.headerProblem(text)).isEqualTo("no decoder recognises it");
        assertThat(ImagePixels.hasImageSuffix(text)).isTrue();
        assertThat(ImagePixels.hasImageSuffix(dir.resolve("notes.txt"))).isFalse();
    }
}
