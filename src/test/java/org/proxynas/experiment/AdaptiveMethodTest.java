package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.proxynas.common.Json;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.select.BinProbability;

/** The adaptive methods (issue 37) as experiments and {@code rank} name them: parsing, configs, refusals. */
class AdaptiveMethodTest {
    private static final Path DIR = Path.of("stage");
    private static final String ADAPTIVE = "selection: {methods: [proxy, adaptive, adaptive+balanced, adaptive-random],"
            + " ratios: [0.1]}\nsearch: {epochs: 4, reselection: {reselectEvery: 2, poolFraction: 0.5}}\n";

    @Test
    void labelsReadBackAsTheSameMethodAndNameTheRuleTheySearchWith() {
        assertThat(AdaptiveMethod.parse("proxy")).isEmpty();
        assertThat(AdaptiveMethod.parse("adaptive").orElseThrow().label()).isEqualTo("adaptive");
        assertThat(AdaptiveMethod.parse("adaptive+p2+balanced").orElseThrow().label()).isEqualTo("adaptive+balanced+p2");
        assertThat(AdaptiveMethod.parse("adaptive-random+balanced").orElseThrow().label())
                .isEqualTo("adaptive-random+balanced");
        assertThatThrownBy(() -> AdaptiveMethod.parse("adaptive-random+p2"))
                .hasMessageStartingWith("method 'adaptive-random+p2': probability applies only to proxy");

        SearchConfig.Reselection r = AdaptiveMethod.parse("adaptive+balanced+p3").orElseThrow()
                .reselection(2, 0.5, 200, 0.1, 0.25);
        assertThat(r).isEqualTo(new SearchConfig.Reselection(2, "proxy", 0.5, 200, 0.1, BinProbability.P3, 0.25, true));
        assertThat(AdaptiveMethod.parse("adaptive-random").orElseThrow().reselection(3, 1, 0, 0.2, 0.5))
                .isEqualTo(new SearchConfig.Reselection(3, "random", 1, 0, 0.2, null, null, false));
    }

    @Test
    void anExperimentSearchesAnAdaptiveMethodWithReselectionAndAStaticOneWithout() {
        ExperimentConfig c = ExperimentConfig.parse(ADAPTIVE, "t");
        assertThat(c.selection().methods())
                .containsExactly("proxy", "adaptive", "adaptive+balanced", "adaptive-random");
        SearchConfig adaptive = c.search().adaptiveConfig(c.dataset(), "darts", 0,
                AdaptiveMethod.parse("adaptive+balanced").orElseThrow(), 0.1, 1000, 0.5, DIR).resolved();
        assertThat(adaptive.subsetFile()).isNull();
        assertThat(adaptive.reselection())
                .isEqualTo(new SearchConfig.Reselection(2, "proxy", 0.5, 1000, 0.1, BinProbability.P1, 0.5, true));
        SearchConfig fixed = c.search().config(c.dataset(), "darts", 0, DIR.resolve("proxy.json"), DIR).resolved();
        assertThat(fixed.reselection()).isNull();
        // a static search keys as it did before re-selection existed
        assertThat(Json.MAPPER.valueToTree(fixed).has("reselection")).isFalse();
    }

    @Test
    void misconfiguredAdaptiveMethodsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> ExperimentConfig.parse("selection: {methods: [adaptive]}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: search.reselection.reselectEvery: the adaptive methods re-select");
        assertThatThrownBy(() -> ExperimentConfig.parse("search: {reselection: {reselectEvery: 2}}\n", "exp.yaml"))
                .hasMessageContaining("search.reselection.reselectEvery: applies only to the adaptive methods");
        assertThatThrownBy(() -> ExperimentConfig.parse(ADAPTIVE.replace("poolFraction: 0.5", "balanced: true"),
                "exp.yaml")).hasMessageContaining("search.reselection.balanced: set by the method's label");
        assertThatThrownBy(() -> ExperimentConfig.parse(ADAPTIVE.replace("reselectEvery: 2", "reselectEvery: 4"),
                "exp.yaml")).hasMessageContaining("reselectEvery must be below epochs 4");
    }

    @Test
    void rankRefusesThemInOneLine() {
        for (String m : new String[] {"adaptive", "adaptive+balanced", "adaptive-random", "zc:synflow@adaptive"}) {
            assertThatThrownBy(() -> RankMethod.parse(m)).hasMessageStartingWith("method '" + m + "': adaptive methods"
                    + " re-select the proxy during a search").hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {methods: [adaptive]}\n", "exp.yaml"))
                .hasMessageContaining("ranking.methods: method 'adaptive': adaptive methods");
    }
}
