package org.proxynas.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.proxynas.common.UserError;

/**
 * Image files to the uint8 C×H×W pixels networks read, one rule for training on a folder dataset and for
 * predicting on any image: scale so the image covers H×W, centre-crop, then RGB (3 channels) or luminance
 * (1 channel, 0.299 R + 0.587 G + 0.114 B as Java2D rounds it). A grayscale image of exactly H×W keeps its
 * values byte for byte, so a Fashion-MNIST image saved as PNG reads back as the dataset holds it (Java2D's
 * {@code getRGB} would gamma-correct gray images; drawing gray onto gray does not).
 */
public final class ImagePixels {
    static {
        // ImageIO would otherwise spool every decoded stream to a temp file.
        ImageIO.setUseCache(false);
    }

    private ImagePixels() {}

    /** Decodes {@code file}; an unreadable or undecodable file is a {@link UserError} naming it. */
    public static BufferedImage decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": unreadable image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new UserError(file + ": unreadable image (no decoder recognises it)");
        }
        return image;
    }

    /** {@link #decode} then {@link #fit}. */
    public static byte[] read(Path file, int channels, int height, int width) {
        return fit(decode(file), channels, height, width);
    }

    /** {@code image} as {@code channels} (1 or 3) × {@code height} × {@code width} uint8 pixels, channel-major. */
    public static byte[] fit(BufferedImage image, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new UserError("images have 1 (gray) or 3 (RGB) channels, found " + channels);
        }
        int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        Raster raster = cover(image, type, height, width).getRaster();
        int plane = height * width;
        byte[] out = new byte[channels * plane];
        int[] row = new int[width * channels];
        for (int y = 0; y < height; y++) {
            // an INT_RGB raster reads as three samples per pixel, R, G, B
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    out[c * plane + y * width + x] = (byte) row[x * channels + c];
                }
            }
        }
        return out;
    }

    /**
     * Scaled to cover {@code height×width}, centre-cropped, drawn on a canvas of {@code type}. Bilinear steps of at
     * most 2× keep large downscales from aliasing (one bilinear step from 500 px to 32 px would sample only a few
     * source pixels per output).
     */
    private static BufferedImage cover(BufferedImage src, int type, int height, int width) {
        BufferedImage current = src;
        int w = src.getWidth();
        int h = src.getHeight();
        double scale = Math.max((double) width / w, (double) height / h);
        int targetW = Math.max(width, (int) Math.round(w * scale));
        int targetH = Math.max(height, (int) Math.round(h * scale));
        do {
            w = Math.max(targetW, w / 2);
            h = Math.max(targetH, h / 2);
            if (scale > 1) {
                w = targetW;
                h = targetH;
            }
            current = draw(current, type, w, h, 0, 0, w, h);
        } while (w != targetW || h != targetH);
        return draw(current, type, width, height, (targetW - width) / 2, (targetH - height) / 2, targetW, targetH);
    }

    /** Draws {@code src} scaled to {@code srcW×srcH}, shifted by {@code -x,-y}, on a {@code w×h} canvas of {@code type}. */
    private static BufferedImage draw(BufferedImage src, int type, int w, int h, int x, int y, int srcW, int srcH) {
        BufferedImage out = new BufferedImage(w, h, type);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, -x, -y, srcW, srcH, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Why {@code file} does not start like an image (its header: format and size), or null when it does. */
    public static String headerProblem(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return "no decoder recognises it";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.getWidth(0);
                reader.getHeight(0);
                return null;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? "its header cannot be read" : e.getMessage();
        }
    }

    /** Whether {@code file}'s extension is one an installed decoder reads (png, jpg, jpeg, gif, bmp, ...). */
    public static boolean hasImageSuffix(Path file) {
        return suffixes().contains(extension(file));
    }

    /** The extensions installed decoders read, lower case, sorted. */
    public static Set<String> suffixes() {
        Set<String> s = new TreeSet<>();
        for (String suffix : ImageIO.getReaderFileSuffixes()) {
            if (!suffix.isEmpty()) {
                s.add(suffix.toLowerCase(Locale.ROOT));
            }
        }
        return s;
    }

    static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
