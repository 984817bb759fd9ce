package org.proxynas.data;

import java.util.Locale;
import org.proxynas.common.UserError;

/**
 * Options that only some formats read: {@code cifar100Label} picks CIFAR-100's {@code fine} (100 classes)
 * or {@code coarse} (20 superclasses) labels; {@code imageSize} is the square side {@code folder:} images
 * are resized to. The default size is 32, the side of the CIFAR-style search networks and cheap on a CPU;
 * pass 224 for ImageNet-style training.
 */
public record DatasetOptions(String cifar100Label, int imageSize) {
    public static final int DEFAULT_IMAGE_SIZE = 32;
    public static final int MAX_IMAGE_SIZE = 1024;

    public DatasetOptions {
        cifar100Label = cifar100Label == null ? "" : cifar100Label.trim().toLowerCase(Locale.ROOT);
        if (!cifar100Label.equals("fine") && !cifar100Label.equals("coarse")) {
            throw new UserError("cifar100Label: expected fine or coarse, found '" + cifar100Label + "'");
        }
        if (imageSize < 1 || imageSize > MAX_IMAGE_SIZE) {
            throw new UserError("imageSize: expected 1.." + MAX_IMAGE_SIZE + ", found " + imageSize);
        }
    }

    public static DatasetOptions defaults() {
        return new DatasetOptions("fine", DEFAULT_IMAGE_SIZE);
    }
}
