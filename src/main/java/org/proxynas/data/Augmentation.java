package org.proxynas.data;

import org.proxynas.common.UserError;

/**
 * Training-time augmentation, in torchvision/DARTS order: random crop after zero-padding by
 * {@code cropPadding} pixels on each side, horizontal flip with probability 1/2, normalization, then
 * cutout: one {@code cutoutLength}-sided square (clipped at the borders, centre uniform over the image)
 * set to 0 in normalized space, as DARTS' {@code utils.Cutout}. Zero disables each step.
 */
public record Augmentation(int cropPadding, boolean horizontalFlip, int cutoutLength) {
    public static final Augmentation NONE = new Augmentation(0, false, 0);

    public Augmentation {
        if (cropPadding < 0) {
            throw new UserError("crop padding must be >= 0, found " + cropPadding);
        }
        if (cutoutLength < 0) {
            throw new UserError("cutout length must be >= 0, found " + cutoutLength);
        }
    }

    public Augmentation withCutout(int length) {
        return new Augmentation(cropPadding, horizontalFlip, length);
    }
}
