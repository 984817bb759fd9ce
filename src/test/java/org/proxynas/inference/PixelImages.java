package org.proxynas.inference;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.proxynas.data.ImageDataset;

/** Gray dataset images as the image files a user would have. */
final class PixelImages {
    private PixelImages() {}

    static BufferedImage gray(ImageDataset d, int index) {
        byte[] pixels = new byte[d.imageBytes()];
        d.readImage(index, pixels, 0);
        BufferedImage image = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, d.width(), d.height(), pixels);
        return image;
    }

    static Path png(ImageDataset d, int index, Path file) throws IOException {
        ImageIO.write(gray(d, index), "png", file.toFile());
        return file;
    }
}
