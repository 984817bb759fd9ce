package org.proxynas.select;

import org.proxynas.common.UserError;

/**
 * The settings the methods take. Each method reads only its own: {@code binWidth} and {@code probability}
 * the proxy method, {@code lowFraction} entropy-tails; {@code balanced} applies to all.
 */
public record SelectorOptions(double binWidth, BinProbability probability, double lowFraction, boolean balanced) {

    public SelectorOptions {
        if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
            throw new UserError("binWidth must be a positive number, found " + binWidth);
        }
        if (!(lowFraction >= 0 && lowFraction <= 1)) {
            throw new UserError("lowFraction must be in [0, 1], found " + lowFraction);
        }
        if (probability == null) {
            throw new UserError("probability is required (p1, p2 or p3)");
        }
    }

    /** The paper's settings for CIFAR-10-like data: width 0.5, P1, half of the tails from the bottom. */
    public static SelectorOptions defaults() {
        return new SelectorOptions(EntropyHistogramSelector.DEFAULT_BIN_WIDTH, BinProbability.P1,
                MethodLabel.DEFAULT_LOW_FRACTION, false);
    }

    public SelectorOptions withBinWidth(double width) {
        return new SelectorOptions(width, probability, lowFraction, balanced);
    }

    public SelectorOptions withBalanced(boolean on) {
        return new SelectorOptions(binWidth, probability, lowFraction, on);
    }
}
