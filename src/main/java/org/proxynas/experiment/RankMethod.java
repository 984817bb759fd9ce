package org.proxynas.experiment;

import java.util.List;
import org.proxynas.common.UserError;
import org.proxynas.select.MethodLabel;
import org.proxynas.zerocost.ZeroCostMeasures;

/**
 * How a ranking study orders its architectures, as {@code rank --methods} names it. Three kinds, each with a label
 * that says which it is:
 * <ul>
 *   <li>{@link Trained}: train every architecture on the proxy a selection method chooses ({@code proxy},
 *       {@code proxy+balanced}, {@code random}, ...) and rank by test accuracy: a data proxy;
 *   <li>{@link ZeroCost}: score every untrained architecture with a training-free measure, from mini-batches of
 *       all scored data or of a selection's proxy ({@code zc:synflow}, {@code zc:synflow@proxy+balanced}); a
 *       measure that needs no data also has its bare name ({@code params}, {@code flops});
 *   <li>{@link Combined}: rank by the mean of two methods' ranks ({@code mean:proxy+balanced/zc:synflow}).
 * </ul>
 */
public sealed interface RankMethod {
    String ZERO_COST = "zc:";
    String MEAN = "mean:";
    /** The measures that read no data, named without {@code zc:}. */
    List<String> DATA_FREE = List.of("params", "flops");

    /** The canonical label. */
    String label();

    /** Parses a label; a selection method's settings follow its name as {@link MethodLabel} has them. */
    static RankMethod parse(String text) {
        String t = text.strip();
        if (AdaptiveMethod.names(t) || t.startsWith(ZERO_COST) && t.contains("@") && AdaptiveMethod.names(
                t.substring(t.indexOf('@') + 1))) {
            throw new UserError(AdaptiveMethod.notForRanking(text));
        }
        if (t.startsWith(MEAN)) {
            String[] parts = t.substring(MEAN.length()).split("/", -1);
            if (parts.length != 2) {
                throw new UserError("method '" + text + "': a combination names two methods, mean:A/B");
            }
            RankMethod a = parse(parts[0]);
            RankMethod b = parse(parts[1]);
            if (a instanceof Combined || b instanceof Combined || a.equals(b)) {
                throw new UserError("method '" + text + "': a combination names two different methods, neither a"
                        + " combination");
            }
            return new Combined(a, b);
        }
        if (DATA_FREE.contains(t)) {
            return new ZeroCost(t, null);
        }
        if (t.startsWith(ZERO_COST)) {
            String[] parts = t.substring(ZERO_COST.length()).split("@", -1);
            if (parts.length > 2) {
                throw new UserError("method '" + text + "': expected zc:MEASURE or zc:MEASURE@SELECTION");
            }
            if (!ZeroCostMeasures.NAMES.contains(parts[0])) {
                throw new UserError("method '" + text + "': unknown zero-cost measure '" + parts[0] + "' (known: "
                        + String.join(", ", ZeroCostMeasures.NAMES) + ")");
            }
            String selection = parts.length == 2 ? MethodLabel.parse(parts[1]).label() : null;
            if (selection != null && DATA_FREE.contains(parts[0])) {
                throw new UserError("method '" + text + "': " + parts[0] + " reads no data, so it takes no selection");
            }
            return new ZeroCost(parts[0], selection);
        }
        return new Trained(MethodLabel.parse(t).label());
    }

    /** A data proxy: every architecture trained on the proxy {@code selection} chooses. */
    record Trained(String selection) implements RankMethod {
        @Override
        public String label() {
            return selection;
        }
    }

    /**
     * A training-free measure of the untrained architectures, on batches of the proxy {@code selection} chooses, or
     * of all scored data when it is null.
     */
    record ZeroCost(String measure, String selection) implements RankMethod {
        @Override
        public String label() {
            return DATA_FREE.contains(measure) ? measure
                    : ZERO_COST + measure + (selection == null ? "" : "@" + selection);
        }
    }

    /** The mean of two methods' ranks. */
    record Combined(RankMethod first, RankMethod second) implements RankMethod {
        @Override
        public String label() {
            return MEAN + first.label() + "/" + second.label();
        }
    }
}
