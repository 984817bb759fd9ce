package org.proxynas.nas.space;

import org.proxynas.common.UserError;

/**
 * Where a DARTS cell stack reduces (cells L/3 and 2L/3, as {@code i in [layers//3, 2*layers//3]}) and
 * which input sizes it accepts: every reduction halves an even size (FactorizedReduce and PC-DARTS'
 * 2×2 pass-through pooling both need even sizes), so height and width must be multiples of 2^reductions
 * after the stem.
 */
public final class CellLayout {
    private CellLayout() {}

    /** A stack needs its two reduction cells and a normal one: at least 3 cells. */
    public static void requireLayers(int layers) {
        if (layers < 3) {
            throw new UserError("layers must be >= 3 (two reduction cells and a normal one), found " + layers);
        }
    }

    public static boolean isReduction(int cell, int layers) {
        return cell == layers / 3 || cell == 2 * layers / 3;
    }

    /** 2 for three or more cells, fewer when L/3 and 2L/3 coincide. */
    public static int reductions(int layers) {
        return layers / 3 == 2 * layers / 3 ? 1 : 2;
    }

    /**
     * Rejects inputs the stack cannot reduce.
     *
     * @param stemStride how much the stem shrinks the input (1 for the CIFAR stem, 8 for ImageNet's)
     */
    public static void requireInputSize(String network, long channels, long height, long width, int layers,
            int stemStride) {
        long multiple = (long) stemStride << reductions(layers);
        if (height < multiple || width < multiple || height % multiple != 0 || width % multiple != 0) {
            throw new UserError(network + ": input " + channels + "x" + height + "x" + width
                    + " does not fit " + layers + " cells with " + reductions(layers)
                    + " reductions: height and width must be multiples of " + multiple + ", at least "
                    + multiple + "x" + multiple);
        }
    }
}
