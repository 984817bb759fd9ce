package org.proxynas.nas.search;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.proxynas.common.UserError;

/** The algorithms {@code --algo} can name, with the defaults that differ between them. */
public final class SearchAlgorithms {
    private SearchAlgorithms() {}

    /**
     * One algorithm: its name, how to build it from a resolved config, and what its supernet and architecture
     * optimizer need. Every architecture learning rate is 3e-4 but PC-DARTS' (the authors' codes).
     */
    public enum Kind {
        DARTS("darts", 3e-4, 1, false, null, c -> new FirstOrderDarts()),
        DARTS_2ND("darts-2nd", 3e-4, 1, false, null, c -> new SecondOrderDarts()),
        PC_DARTS("pc-darts", 6e-4, 4, true, null, c -> new PcDarts()),
        SDARTS_RS("sdarts-rs", 3e-4, 1, false, null, c -> new SdartsRandomSmoothing(c::epsilonAt)),
        SDARTS_ADV("sdarts-adv", 3e-4, 1, false, 0.3, c -> new SdartsAdversarial(c::epsilonAt, c.attackSteps())),
        SGAS("sgas", 3e-4, 1, false, null, c -> new Sgas(c.sgas(), c.nodes())),
        GDAS("gdas", 3e-4, 1, false, null,
                c -> new Gdas(epoch -> c.gdas().temperatureAt(epoch, c.epochs()), c.gdas().fixedReduction()));

        private final String cliName;
        private final double defaultArchLr;
        private final int defaultPartialChannels;
        private final boolean edgeWeights;
        private final Double defaultEpsilonEnd;
        private final Function<SearchConfig, SearchAlgorithm> factory;

        Kind(String cliName, double defaultArchLr, int defaultPartialChannels, boolean edgeWeights,
                Double defaultEpsilonEnd, Function<SearchConfig, SearchAlgorithm> factory) {
            this.cliName = cliName;
            this.defaultArchLr = defaultArchLr;
            this.defaultPartialChannels = defaultPartialChannels;
            this.edgeWeights = edgeWeights;
            this.defaultEpsilonEnd = defaultEpsilonEnd;
            this.factory = factory;
        }

        public String cliName() {
            return cliName;
        }

        public double defaultArchLr() {
            return defaultArchLr;
        }

        public int defaultPartialChannels() {
            return defaultPartialChannels;
        }

        /** Whether the supernet weights each edge by β̂ (PC-DARTS' edge normalization). */
        public boolean edgeWeights() {
            return edgeWeights;
        }

        /** SDARTS' perturbation half-width at the last epoch; null keeps it at {@code --epsilon}. */
        public Double defaultEpsilonEnd() {
            return defaultEpsilonEnd;
        }

        /** The algorithm {@code config} describes; {@code config} must be {@link SearchConfig#resolved()}. */
        public SearchAlgorithm create(SearchConfig config) {
            return factory.apply(config);
        }
    }

    public static List<String> names() {
        return Arrays.stream(Kind.values()).map(Kind::cliName).toList();
    }

    /** The algorithm called {@code name}; anything else is a user error listing the valid names. */
    public static Kind require(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (Kind k : Kind.values()) {
                if (k.cliName.equals(key)) {
                    return k;
                }
            }
        }
        throw new UserError("algorithm: unknown algorithm '" + name + "' (expected one of "
                + String.join(", ", names()) + ")");
    }
}
