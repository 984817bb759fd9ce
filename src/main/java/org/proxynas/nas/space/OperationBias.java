package org.proxynas.nas.space;

import java.util.List;
import java.util.Locale;
import org.proxynas.common.UserError;

/**
 * How {@link GenotypeSampler} draws an edge's operation. {@link #UNIFORM}: each of the seven operations other than
 * {@code none} with probability 1/7, which gives the parameter-free ones ({@link #PARAMETER_FREE_OPERATIONS}) a
 * share of 3/7. Any other bias draws in two stages: with probability {@code parameterFreeShare} one of the
 * parameter-free operations, otherwise one of the {@link #CONVOLUTIONS}, uniformly within the group.
 *
 * <p>Why: uniform cells are mostly alike (about four convolutions of eight edges) and train to accuracies a few
 * points apart, which noise then reorders. Cells drawn toward pools and skips ({@link #TOWARD_PARAMETER_FREE}) train
 * to much lower accuracies, cells drawn toward convolutions ({@link #TOWARD_CONVOLUTIONS}) to higher ones, so a
 * study that mixes the three spreads its architectures over a wide range of quality. {@code skip_connect} counts as
 * parameter-free, as in DARTS, although at stride 2 it is a factorized reduction with two 1×1 convolutions.
 *
 * @param name how a study names the bias: {@code uniform}, {@code parameter-free}, {@code convolutions}, or
 *     {@code parameter-free:SHARE} for another share
 * @param parameterFreeShare probability that an edge draws a parameter-free operation, in [0, 1]
 */
public record OperationBias(String name, double parameterFreeShare) {
    public static final List<String> PARAMETER_FREE_OPERATIONS =
            List.of("max_pool_3x3", "avg_pool_3x3", "skip_connect");
    public static final List<String> CONVOLUTIONS =
            List.of("sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5");

    public static final OperationBias UNIFORM = new OperationBias("uniform",
            (double) PARAMETER_FREE_OPERATIONS.size() / (PARAMETER_FREE_OPERATIONS.size() + CONVOLUTIONS.size()));
    public static final OperationBias TOWARD_PARAMETER_FREE = new OperationBias("parameter-free", 0.8);
    public static final OperationBias TOWARD_CONVOLUTIONS = new OperationBias("convolutions", 0.1);

    /** The named biases, in the order help texts list them. */
    public static final List<OperationBias> NAMED = List.of(UNIFORM, TOWARD_PARAMETER_FREE, TOWARD_CONVOLUTIONS);

    private static final String CUSTOM_PREFIX = "parameter-free:";

    public OperationBias {
        if (name == null || name.isBlank()) {
            throw new UserError("operation bias: expected a name, found nothing");
        }
        if (!(parameterFreeShare >= 0 && parameterFreeShare <= 1)) {
            throw new UserError("operation bias " + name + ": the parameter-free share must be in [0, 1], found "
                    + parameterFreeShare);
        }
    }

    /**
     * {@code uniform}, {@code parameter-free}, {@code convolutions}, or {@code parameter-free:SHARE} with SHARE in
     * [0, 1] (e.g. {@code parameter-free:0.6}).
     */
    public static OperationBias parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (OperationBias named : NAMED) {
            if (named.name.equals(s)) {
                return named;
            }
        }
        if (s.startsWith(CUSTOM_PREFIX)) {
            String share = s.substring(CUSTOM_PREFIX.length());
            try {
                return new OperationBias(CUSTOM_PREFIX + share, Double.parseDouble(share));
            } catch (NumberFormatException e) {
                throw new UserError("operation bias '" + text + "': expected a share in [0, 1] after '"
                        + CUSTOM_PREFIX + "', found '" + share + "'");
            }
        }
        throw new UserError("operation bias: expected uniform, parameter-free, convolutions or "
                + CUSTOM_PREFIX + "SHARE, found '" + text + "'");
    }

    /** Whether this is the one-stage uniform draw, which keeps every earlier sample's draws. */
    public boolean isUniform() {
        return equals(UNIFORM);
    }
}
