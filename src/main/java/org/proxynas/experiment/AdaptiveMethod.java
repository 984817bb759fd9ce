package org.proxynas.experiment;

import java.util.Locale;
import java.util.Optional;
import org.proxynas.common.UserError;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.select.EntropyHistogramSelector;
import org.proxynas.select.MethodLabel;
import org.proxynas.select.RandomSelector;

/**
 * An adaptive proxy method as a study names it (issue 37): not a selection stage but a search that re-selects its
 * own proxy ({@link SearchConfig.Reselection}), starting from a random one, so it needs no scores. {@code adaptive}
 * draws with the paper's histogram rule on the search network's entropies, {@code adaptive-random} a fresh random
 * subset (the control); the rule's settings follow the name as {@link MethodLabel}'s do for {@code proxy}
 * ({@code adaptive+balanced}, {@code adaptive+p2+bw0.25}, {@code adaptive-random+balanced}).
 *
 * @param rule the rule's label as a selection method: {@code proxy...} or {@code random...}
 */
record AdaptiveMethod(MethodLabel rule) {
    static final String ADAPTIVE = "adaptive";
    static final String ADAPTIVE_RANDOM = "adaptive-random";

    /** Whether {@code text} names an adaptive method (well formed or not). */
    static boolean names(String text) {
        String name = text.strip().split("\\+", 2)[0].toLowerCase(Locale.ROOT);
        return name.equals(ADAPTIVE) || name.equals(ADAPTIVE_RANDOM);
    }

    /** The adaptive method {@code text} names, or empty for any other method. */
    static Optional<AdaptiveMethod> parse(String text) {
        if (!names(text)) {
            return Optional.empty();
        }
        String[] parts = text.strip().split("\\+", 2);
        String settings = parts.length == 2 ? "+" + parts[1] : "";
        String rule = parts[0].toLowerCase(Locale.ROOT).equals(ADAPTIVE) ? EntropyHistogramSelector.NAME
                : RandomSelector.NAME;
        try {
            return Optional.of(new AdaptiveMethod(MethodLabel.parse(rule + settings)));
        } catch (UserError e) {
            throw new UserError("method '" + text + "': " + e.getMessage().replace(rule + ": ", ""));
        }
    }

    /** The canonical label: {@code adaptive} or {@code adaptive-random}, then the settings that differ. */
    String label() {
        String rule = this.rule.label();
        String name = this.rule.name().equals(EntropyHistogramSelector.NAME) ? ADAPTIVE : ADAPTIVE_RANDOM;
        return name + rule.substring(this.rule.name().length());
    }

    /**
     * The search's re-selection: every {@code every} epochs scoring {@code poolFraction} of the first {@code poolLimit}
     * examples, this rule, a first random proxy of {@code ratio}; the bin width is the label's, else the study's
     * {@code defaultBinWidth}.
     */
    SearchConfig.Reselection reselection(int every, double poolFraction, int poolLimit, double ratio,
            double defaultBinWidth) {
        boolean histogram = rule.name().equals(EntropyHistogramSelector.NAME);
        return new SearchConfig.Reselection(every, rule.name(), poolFraction, poolLimit, ratio,
                histogram ? rule.probability() : null,
                histogram ? rule.options(defaultBinWidth).binWidth() : null, rule.balanced());
    }

    /** The one line {@code rank} answers an adaptive method with: it re-selects during a search, rank has none. */
    static String notForRanking(String text) {
        return "method '" + text + "': adaptive methods re-select the proxy during a search from the search network's"
                + " own predictions; rank trains fixed architectures on fixed proxies, so they do not apply (use them"
                + " in an experiment's selection.methods)";
    }
}
