package org.proxynas.data;

import java.util.List;
import org.proxynas.common.UserError;

/** A dataset whose pixels fit in one byte array (MNIST-like, CIFAR, SVHN: at most a few hundred MB). */
public record InMemoryImageDataset(
        String name,
        Split split,
        int channels,
        int height,
        int width,
        List<String> classNames,
        byte[] pixels,
        int[] labelArray) implements ImageDataset {

    public InMemoryImageDataset {
        classNames = List.copyOf(classNames);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new UserError(name + ": image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        long expected = (long) labelArray.length * channels * height * width;
        if (pixels.length != expected) {
            throw new UserError(name + ": " + labelArray.length + " labels need " + expected
                    + " pixel bytes, found " + pixels.length);
        }
        for (int i = 0; i < labelArray.length; i++) {
            if (labelArray[i] < 0 || labelArray[i] >= classNames.size()) {
                throw new UserError(name + ": label " + labelArray[i] + " of example " + i
                        + " is outside 0.." + (classNames.size() - 1));
            }
        }
    }

    @Override
    public int size() {
        return labelArray.length;
    }

    @Override
    public boolean inMemory() {
        return true;
    }

    @Override
    public int label(int index) {
        return labelArray[index];
    }

    @Override
    public int[] labels() {
        return labelArray.clone();
    }

    @Override
    public void readImage(int index, byte[] dst, int offset) {
        int n = channels * height * width;
        System.arraycopy(pixels, index * n, dst, offset, n);
    }
}
