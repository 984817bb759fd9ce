package org.proxynas.select;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.proxynas.common.UserError;

/**
 * A selection method with its settings, as the studies name it. Its text is the method's name followed by
 * each setting that differs from the default, so every variant has a label that says which it is:
 * {@code proxy}, {@code proxy+balanced}, {@code proxy+p2+bw0.25}, {@code entropy-tails+low0.3}. Configs may
 * also give the map form, {@code {method: proxy, balanced: true, probability: p2, binWidth: 0.25}}.
 *
 * <p>A setting the method does not read is refused ({@code random+p2} would name a second label for the same
 * selection).
 *
 * @param name a method of {@link Selectors}
 * @param balanced run the method within each class, sizes in proportion to the full set's classes
 * @param probability the proxy method's bin weighting
 * @param binWidth the proxy method's log10-entropy bin width, or 0 for the study's default
 * @param lowFraction the share of entropy-tails' examples taken from the low end
 */
public record MethodLabel(String name, boolean balanced, BinProbability probability, double binWidth,
        double lowFraction) {
    public static final double DEFAULT_LOW_FRACTION = 0.5;
    private static final String BALANCED = "balanced";
    private static final String BIN_WIDTH = "bw";
    private static final String LOW_FRACTION = "low";

    public MethodLabel {
        if (!Selectors.METHODS.contains(name)) {
            throw new UserError("unknown method '" + name + "' (known: " + String.join(", ", Selectors.METHODS)
                    + ")");
        }
        if (probability == null) {
            throw new UserError(name + ": probability must be p1, p2 or p3");
        }
        if (!(binWidth >= 0) || Double.isInfinite(binWidth)) {
            throw new UserError(name + ": binWidth must be positive (0 = the default), found " + binWidth);
        }
        if (!(lowFraction >= 0 && lowFraction <= 1)) {
            throw new UserError(name + ": lowFraction must be in [0, 1], found " + lowFraction);
        }
        boolean proxy = name.equals(EntropyHistogramSelector.NAME);
        requireReads(proxy || probability == BinProbability.P1, name, "probability", EntropyHistogramSelector.NAME);
        requireReads(proxy || binWidth == 0, name, "binWidth", EntropyHistogramSelector.NAME);
        requireReads(name.equals(EntropyTailsSelector.NAME) || lowFraction == DEFAULT_LOW_FRACTION, name,
                "lowFraction", EntropyTailsSelector.NAME);
    }

    private static void requireReads(boolean ok, String name, String setting, String reader) {
        if (!ok) {
            // the setting first: the command line names it by its flag (--probability applies only to proxy, ...)
            throw new UserError(setting + " applies only to " + reader + ", not to " + name);
        }
    }

    /** The method with its default settings. */
    public static MethodLabel of(String name) {
        return new MethodLabel(name, false, BinProbability.P1, 0, DEFAULT_LOW_FRACTION);
    }

    /** Parses the text form, e.g. {@code proxy+balanced+p2+bw0.25} (see {@link #label()}). */
    public static MethodLabel parse(String text) {
        String[] parts = text.strip().split("\\+", -1);
        boolean balanced = false;
        BinProbability probability = BinProbability.P1;
        double binWidth = 0;
        double lowFraction = DEFAULT_LOW_FRACTION;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].toLowerCase(Locale.ROOT);
            if (part.equals(BALANCED)) {
                balanced = true;
            } else if (part.matches("p[123]")) {
                probability = BinProbability.parse(part);
            } else if (part.startsWith(BIN_WIDTH)) {
                binWidth = number(text, part.substring(BIN_WIDTH.length()));
            } else if (part.startsWith(LOW_FRACTION)) {
                lowFraction = number(text, part.substring(LOW_FRACTION.length()));
            } else {
                throw new UserError("method '" + text + "': unknown setting '+" + parts[i]
                        + "' (known: +balanced, +p1/+p2/+p3, +bw<bin width>, +low<low fraction>)");
            }
        }
        return new MethodLabel(parts[0], balanced, probability, binWidth, lowFraction);
    }

    private static double number(String text, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UserError("method '" + text + "': expected a number after the setting, found '" + value
                    + "'");
        }
    }

    /** The map form: {@code method} plus any of {@code balanced, probability, binWidth, lowFraction}. */
    public static MethodLabel of(JsonNode settings) {
        List<String> known = List.of("method", BALANCED, "probability", "binWidth", "lowFraction");
        for (Iterator<String> keys = settings.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                throw new UserError("unknown key '" + key + "' in a method (known: " + known + ")");
            }
        }
        JsonNode method = settings.path("method");
        if (!method.isTextual()) {
            throw new UserError("a method given as a map needs 'method: <name>'");
        }
        JsonNode probability = settings.path("probability");
        return new MethodLabel(method.asText(), settings.path(BALANCED).asBoolean(false),
                probability.isMissingNode() ? BinProbability.P1 : BinProbability.parse(probability.asText()),
                settings.path("binWidth").asDouble(0), settings.path("lowFraction").asDouble(DEFAULT_LOW_FRACTION));
    }

    /** The text form, naming only the settings that differ from the defaults; {@link #parse} reads it back. */
    public String label() {
        StringBuilder s = new StringBuilder(name);
        if (balanced) {
            s.append('+').append(BALANCED);
        }
        if (probability != BinProbability.P1) {
            s.append('+').append(probability.name().toLowerCase(Locale.ROOT));
        }
        if (binWidth > 0) {
            s.append('+').append(BIN_WIDTH).append(binWidth);
        }
        if (lowFraction != DEFAULT_LOW_FRACTION) {
            s.append('+').append(LOW_FRACTION).append(lowFraction);
        }
        return s.toString();
    }

    /** The same method and settings, run within each class or not. */
    public MethodLabel withBalanced(boolean on) {
        return new MethodLabel(name, on, probability, binWidth, lowFraction);
    }

    /** The settings for the selectors, the bin width falling back to {@code defaultBinWidth}. */
    public SelectorOptions options(double defaultBinWidth) {
        return new SelectorOptions(binWidth > 0 ? binWidth : defaultBinWidth, probability, lowFraction, balanced);
    }

    /**
     * The settings that differ from the defaults, for a stage key: a method with default settings keys as its
     * bare name did before variants existed, so its stages stay valid.
     */
    public Map<String, Object> nonDefaultSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (balanced) {
            settings.put(BALANCED, true);
        }
        if (probability != BinProbability.P1) {
            settings.put("probability", probability.name());
        }
        if (lowFraction != DEFAULT_LOW_FRACTION) {
            settings.put("lowFraction", lowFraction);
        }
        return settings;
    }

    @Override
    public String toString() {
        return label();
    }

    /**
     * Reads a config's method entry, text or map, as its label: configs keep methods as text, and a map entry
     * becomes the text that names the same variant.
     */
    public static final class LabelReader extends StdDeserializer<String> {
        private static final long serialVersionUID = 1L;

        public LabelReader() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            if (node.isTextual()) {
                return node.asText();
            }
            try {
                if (node.isObject()) {
                    return of(node).label();
                }
                throw new UserError("a method is a name such as proxy+balanced or a map such as "
                        + "{method: proxy, balanced: true}, found " + node);
            } catch (UserError e) {
                // without the cause, so the config reader reports it under the entry's key
                throw JsonMappingException.from(parser, e.getMessage());
            }
        }
    }
}
