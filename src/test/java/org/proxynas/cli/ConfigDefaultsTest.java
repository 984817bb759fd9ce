package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.proxynas.common.Json;
import org.proxynas.experiment.RankConfig;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.score.ScoringConfig;
import org.proxynas.select.SelectionConfig;
import org.proxynas.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's defaults are its job config's: a command given only what it requires builds exactly the config's
 * defaults, no option restates a default of its own, and help shows every default the same way.
 */
class ConfigDefaultsTest {
    /** The command, the least it must be given, its job's defaults, and the settings those arguments set. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("score", List.of(), ScoringConfig.DEFAULTS, List.of()),
                Arguments.of("search", List.of("fashion-mnist", "--out", "search"), SearchConfig.DEFAULTS,
                        List.of("outDir")),
                Arguments.of("select", List.of("--ratio", "0.1"), SelectionConfig.DEFAULTS, List.of()),
                Arguments.of("rank", List.of("fashion-mnist", "--scores", "scores.csv", "--out", "rank"),
                        RankConfig.DEFAULTS, List.of()),
                Arguments.of("train", List.of("fashion-mnist", "--genotype", "DARTS_V2", "--out", "train"),
                        TrainConfig.CELL_DEFAULTS, List.of("network")),
                Arguments.of("train", List.of("fashion-mnist", "--arch", "resnet20", "--out", "train"),
                        TrainConfig.RESNET_DEFAULTS, List.of("network")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("commands")
    void aCommandGivenOnlyWhatItRequiresBuildsItsConfigsDefaults(String command, List<String> required,
            Record defaults, List<String> setByArguments) throws Exception {
        CommandLine cl = ProxyNas.commandLine();
        CommandLine sub = cl.getSubcommands().get(command);
        String[] args = Stream.concat(Stream.of(command), required.stream()).toArray(String[]::new);
        cl.parseArgs(args);
        Object c = sub.getCommand();
        Object built = c instanceof ScoreCommand score ? score.config()
                : c instanceof SearchCommand search ? search.config()
                : c instanceof SelectCommand select ? select.config()
                : c instanceof RankCommand rank ? rank.config()
                : ((TrainCommand) c).config();
        ObjectNode expected = Json.MAPPER.valueToTree(defaults);
        ObjectNode actual = Json.MAPPER.valueToTree(built);
        expected.remove(setByArguments);
        actual.remove(setByArguments);
        assertThat((JsonNode) actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("commands")
    void noOptionOfASettingRestatesItsDefaultAndHelpShowsEveryDefaultOneWay(String command, List<String> required,
            Record defaults, List<String> setByArguments) throws Exception {
        CommandLine sub = ProxyNas.commandLine().getSubcommands().get(command);
        JsonNode settings = Json.MAPPER.valueToTree(defaults);
        CommandLine.IDefaultValueProvider provider = sub.getCommandSpec().defaultValueProvider();
        for (OptionSpec option : sub.getCommandSpec().options()) {
            String name = command + " " + option.longestName();
            if (ConfigDefaults.setting(settings, option).isPresent()) {
                assertThat(option.defaultValue()).as(name + ": its default is the config's").isNull();
            }
            String help = String.join(" ", option.description());
            boolean flag = option.arity().max() == 0 && !option.negatable();
            boolean hasDefault = !flag && !option.required() && (option.defaultValue() != null
                    || provider != null && provider.defaultValue(option) != null);
            if (hasDefault) {
                assertThat(help).as(name).containsPattern("\\(default: [^)]+\\)\\.?$");
            }
            assertThat(help).as(name + ": one way of showing defaults").doesNotContain("[").doesNotContain("Default:");
        }
    }
}
