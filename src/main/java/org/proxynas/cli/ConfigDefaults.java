package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.proxynas.common.Json;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's option defaults, read from its job's config ({@code XConfig.DEFAULTS}), so that the config stays the
 * one place a default is written: option {@code --batch-size} takes the default of the setting {@code batchSize}
 * (nested settings too: {@code --tau-max} is {@code gdas.tauMax}). Help shows it as {@code (default: X)}. Options
 * without such a setting, and required ones, keep their own.
 */
class ConfigDefaults implements IDefaultValueProvider {
    private final JsonNode defaults;

    ConfigDefaults(Object config) {
        this.defaults = Json.MAPPER.valueToTree(config);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || declaredRequired(option)) {
            return null;
        }
        return setting(defaults, option).filter(v -> !v.isArray() || !v.isEmpty()).map(ConfigDefaults::text)
                .orElse(null);
    }

    /**
     * Whether the option's declaration makes it required: asking picocli would ask this provider again, and a
     * required option given a default would no longer be required.
     */
    private static boolean declaredRequired(OptionSpec option) {
        return option.userObject() instanceof Field field && field.isAnnotationPresent(Option.class)
                && field.getAnnotation(Option.class).required();
    }

    /**
     * The setting an option sets, in {@code config}'s JSON: its own name in camel case, at the top level or else in
     * a nested section ({@code sgas}, {@code gdas}, {@code network}, {@code datasetOptions}).
     */
    static Optional<JsonNode> setting(JsonNode config, OptionSpec option) {
        String name = settingName(option);
        JsonNode found = config.get(name);
        for (var it = config.elements(); found == null && it.hasNext(); ) {
            JsonNode section = it.next();
            found = section.isObject() ? section.get(name) : null;
        }
        return found == null || found.isNull() ? Optional.empty() : Optional.of(found);
    }

    /** {@code --batch-size} → {@code batchSize}, as {@link ProxyNas#inFlagTerms} maps the other way. */
    static String settingName(OptionSpec option) {
        String[] words = option.longestName().replaceFirst("^-+", "").split("-");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(words[i].substring(0, 1).toUpperCase(Locale.ROOT)).append(words[i].substring(1));
        }
        return name.toString();
    }

    /** A default as a user types it: numbers without trailing zeros or exponents, lists comma-separated. */
    static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(text(v)));
            return String.join(",", items);
        }
        if (value.isNumber()) {
            return new BigDecimal(value.asText()).stripTrailingZeros().toPlainString();
        }
        return value.asText();
    }

    static String text(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * For a command whose defaults depend on what it trains ({@code train}: cells or a ResNet), adds each protocol's
     * default to the help of every option that has a setting in them: {@code (default: 600 for cells, 200 for
     * ResNets)}, or one value where they agree.
     */
    static void describeProtocols(CommandSpec spec, Map<String, Object> protocols) {
        for (OptionSpec option : List.copyOf(spec.options())) {
            if (option.group() != null) {
                continue;
            }
            Map<String, String> byProtocol = new LinkedHashMap<>();
            protocols.forEach((name, config) -> setting(Json.MAPPER.valueToTree(config), option)
                    .ifPresent(v -> byProtocol.put(name, text(v))));
            if (byProtocol.isEmpty()) {
                continue;
            }
            boolean agree = byProtocol.size() == protocols.size() && byProtocol.values().stream().distinct().count() == 1;
            String defaults = agree ? byProtocol.values().iterator().next()
                    : byProtocol.entrySet().stream().map(e -> e.getValue() + " for " + e.getKey())
                            .collect(Collectors.joining(", "));
            // the descriptions come back with picocli's format escapes resolved; they are formatted again
            String[] description = Arrays.stream(option.description()).map(d -> d.replace("%%", "%")
                    .replace("%", "%%")).toArray(String[]::new);
            description[description.length - 1] += " (default: " + defaults + ")";
            spec.remove(option);
            spec.addOption(option.toBuilder().description(description).build());
        }
    }
}
