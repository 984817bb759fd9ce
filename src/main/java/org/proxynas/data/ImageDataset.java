package org.proxynas.data;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.proxynas.common.UserError;

/**
 * A labelled image dataset as every stage sees it: {@link #size()} examples, each {@code C×H×W} uint8
 * pixels (channel-major) and an int label in {@code [0, numClasses())}. Implementations may hold all
 * pixels in memory or read them lazily; the pipeline only calls {@link #readImage}.
 */
public interface ImageDataset {

    /** The spec the dataset was opened with, e.g. {@code fashion-mnist} or {@code cifar10:/data/c10}. */
    String name();

    Split split();

    int size();

    int channels();

    int height();

    int width();

    List<String> classNames();

    int label(int index);

    /** Copies example {@code index}'s {@code C*H*W} pixels into {@code dst} starting at {@code offset}. */
    void readImage(int index, byte[] dst, int offset);

    /**
     * Whether {@link #readImage} is a memory copy. Lazily decoding datasets answer false, so full passes show
     * progress and the loader decodes a batch's images in parallel.
     */
    default boolean inMemory() {
        return false;
    }

    default int numClasses() {
        return classNames().size();
    }

    default int imageBytes() {
        return channels() * height() * width();
    }

    /**
     * Checks cheaply, without decoding pixels, that example {@code index} can be read, so that a run refuses bad
     * data before its first step rather than after hours of it: formats checked whole when opened have nothing
     * left to check; lazily decoded ones read the image file's header. See {@link Datasets#requireReadable}.
     */
    default void checkReadable(int index) throws IOException {}

    /** All labels, in dataset order. */
    default int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** A view of the examples at {@code indices} (in that order); nothing is copied. */
    default ImageDataset subset(int[] indices) {
        return new SubsetDataset(this, indices);
    }

    /**
     * The first {@code n} examples (all of them for 0), the one meaning every "limit" setting has; more than
     * there are is an error naming {@code setting}.
     */
    default ImageDataset head(int n, String setting) {
        if (n < 0 || n > size()) {
            throw new UserError(setting + " " + n + " exceeds the " + size() + " " + split() + " examples of "
                    + name());
        }
        return n == 0 || n == size() ? this : subset(IntStream.range(0, n).toArray());
    }
}
