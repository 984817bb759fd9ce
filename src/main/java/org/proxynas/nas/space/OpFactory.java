package org.proxynas.nas.space;

import ai.djl.nn.Block;

/** Builds one candidate operation: {@code channels} in and out, {@code stride} 1 or 2. */
@FunctionalInterface
public interface OpFactory {
    /**
     * @param affine whether BatchNorm layers learn scale and shift (false in the supernet, true in the
     *     evaluation network, as in DARTS)
     */
    Block create(int channels, int stride, boolean affine);
}
