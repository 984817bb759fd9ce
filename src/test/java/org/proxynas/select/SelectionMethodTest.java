package org.proxynas.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;

class SelectionMethodTest {
    @Test
    void readsEverySettingFromTheText() {
        MethodLabel m = MethodLabel.parse("proxy+balanced+p2+bw0.25");
        assertThat(m.name()).isEqualTo("proxy");
        assertThat(m.balanced()).isTrue();
        assertThat(m.probability()).isEqualTo(BinProbability.P2);
        assertThat(m.binWidth()).isEqualTo(0.25);
        assertThat(m.options(0.5)).isEqualTo(new SelectorOptions(0.25, BinProbability.P2, 0.5, true));
        assertThat(MethodLabel.parse("entropy-tails+low0.3").options(0.5).lowFraction()).isEqualTo(0.3);
        assertThat(MethodLabel.parse("proxy+p2").withBalanced(true).label()).isEqualTo("proxy+balanced+p2");
    }

    @ParameterizedTest
    @CsvSource({"proxy, proxy", "proxy+p1, proxy", "proxy+P2+balanced, proxy+balanced+p2",
        "proxy+bw0.25+p3, proxy+p3+bw0.25", "random+balanced, random+balanced", "entropy-tails+low0.5, entropy-tails"})
    void labelsNameOnlyTheSettingsThatDifferInOneOrder(String text, String label) {
        assertThat(MethodLabel.parse(text).label()).isEqualTo(label);
        assertThat(MethodLabel.parse(label)).isEqualTo(MethodLabel.parse(text));
    }

    @Test
    void theMapFormNamesTheSameVariant() throws Exception {
        JsonNode map = Json.MAPPER.readTree("{\"method\":\"proxy\",\"balanced\":true,\"probability\":\"p2\","
                + "\"binWidth\":0.25}");
        assertThat(MethodLabel.of(map)).isEqualTo(MethodLabel.parse("proxy+balanced+p2+bw0.25"));
        assertThatThrownBy(() -> MethodLabel.of(Json.MAPPER.readTree("{\"method\":\"proxy\",\"balance\":true}")))
                .isInstanceOf(UserError.class).hasMessageContaining("unknown key 'balance'");
    }

    @Test
    void aMethodWithDefaultSettingsKeysAsItsBareName() {
        assertThat(MethodLabel.of("proxy").nonDefaultSettings()).isEmpty();
        assertThat(MethodLabel.parse("proxy+balanced+p3").nonDefaultSettings())
                .containsEntry("balanced", true).containsEntry("probability", "P3").hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nope | unknown method 'nope'",
        "proxy+fast | unknown setting '+fast'",
        "random+p2 | probability applies only to proxy",
        "random+bw0.5 | binWidth applies only to proxy",
        "proxy+low0.2 | lowFraction applies only to entropy-tails",
        "entropy-tails+low2 | lowFraction must be in [0, 1]",
        "proxy+bwx | expected a number"})
    void refusesWhatWouldNotSelectAsNamed(String text, String message) {
        assertThatThrownBy(() -> MethodLabel.parse(text)).isInstanceOf(UserError.class)
                .hasMessageContaining(message);
    }
}
