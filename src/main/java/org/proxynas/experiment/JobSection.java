package org.proxynas.experiment;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;

/**
 * How a stage section of a study config maps onto its job's config record, which stays the one schema: a section
 * writes the job's settings under the names of the job's {@code config.json}, laid over the job's own defaults
 * ({@code XConfig.DEFAULTS}), and the record's compact constructor checks the result. The fields the study fills
 * for each stage (the dataset, the seed, input and output paths) cannot be written; a few keys belong to the
 * study instead ({@code studyKeys}, e.g. the search's list of algorithms).
 *
 * @param name the section's key in the config, e.g. {@code search}
 * @param type the job's config record
 * @param defaults the record's defaults as JSON, without the fields the study fills
 * @param studyKeys the section's keys that are the study's, not the job's
 */
record JobSection<C extends Record>(String name, Class<C> type, ObjectNode defaults, Set<String> studyKeys) {

    /** The section of {@code type}, whose defaults are {@code defaults} and whose {@code owned} fields the study fills. */
    static <C extends Record> JobSection<C> of(String name, Class<C> type, C defaults, Set<String> owned,
            Set<String> studyKeys) {
        ObjectNode tree = Json.MAPPER.valueToTree(defaults);
        // a setting the JSON form leaves out at its default (fp32 precision) is a setting all the same
        for (RecordComponent c : type.getRecordComponents()) {
            if (!tree.has(c.getName())) {
                try {
                    tree.set(c.getName(), Json.MAPPER.valueToTree(c.getAccessor().invoke(defaults)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + c.getName(), e);
                }
            }
        }
        tree.remove(owned);
        return new JobSection<>(name, type, tree, Set.copyOf(studyKeys));
    }

    /**
     * The job's settings among a section's keys: every key but the study's, each a setting of the job, or the
     * config is refused naming the key and the closest valid one.
     */
    ObjectNode settings(ObjectNode section) {
        ObjectNode settings = section.deepCopy();
        settings.remove(studyKeys);
        for (Iterator<String> keys = settings.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!defaults.has(key)) {
                Set<String> known = new LinkedHashSet<>(studyKeys);
                defaults.fieldNames().forEachRemaining(known::add);
                throw new SettingError(name + "." + key, "unknown key; did you mean "
                        + ClosestName.of(key, known) + "? (the keys of " + name + " are those of its job's"
                        + " config.json: " + String.join(", ", known) + ")");
            }
        }
        return settings;
    }

    /**
     * The job's config: its defaults, overridden by {@code settings} (nested sections key by key), then by the
     * study's {@code stage} fields. A value the record refuses is refused naming its key in the section.
     */
    C build(ObjectNode settings, Map<String, ?> stage) {
        ObjectNode merged = defaults.deepCopy();
        merge(merged, settings);
        // paths as the text they were given, as the records write them
        stage.forEach((field, value) -> merged.set(field, value instanceof Path path
                ? TextNode.valueOf(path.toString()) : Json.MAPPER.valueToTree(value)));
        try {
            return ExperimentConfig.STRICT.treeToValue(merged, type);
        } catch (JacksonException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof UserError u) {
                    throw inSection(u);
                }
            }
            String key = ConfigErrors.key(e);
            throw new SettingError(key.isEmpty() ? name : name + "." + key, ConfigErrors.describeValue(e));
        }
    }

    /** A record's own message, which names the field first ("epochs must be ..."), as that key of this section. */
    private UserError inSection(UserError e) {
        String message = e.getMessage();
        List<String> fields = new ArrayList<>();
        for (var c : type.getRecordComponents()) {
            fields.add(c.getName());
        }
        for (String field : fields) {
            if (message.startsWith(field + " ") || message.startsWith(field + ":")) {
                return new SettingError(name + "." + field, message.substring(field.length()).strip()
                        .replaceFirst("^: ", ""));
            }
        }
        return new SettingError(name, message);
    }

    /** The study key {@code key} of a section: an integer, {@code fallback} when absent. */
    int integer(ObjectNode section, String key, int fallback) {
        JsonNode value = section.path(key);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.canConvertToExactIntegral() || !value.isNumber()) {
            throw new SettingError(name + "." + key, "expected an integer, found " + value);
        }
        return value.intValue();
    }

    /** The study key {@code key} of a section: true or false, null when absent. */
    Boolean bool(ObjectNode section, String key) {
        JsonNode value = section.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new SettingError(name + "." + key, "expected true or false, found " + value);
        }
        return value.booleanValue();
    }

    /** The study key {@code key} of a section: a single value, null when absent. */
    String text(ObjectNode section, String key) {
        JsonNode value = section.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new SettingError(name + "." + key, "expected a single value, found " + value);
        }
        return value.asText();
    }

    private static void merge(ObjectNode base, JsonNode overrides) {
        overrides.fields().forEachRemaining(e -> {
            JsonNode current = base.get(e.getKey());
            if (current instanceof ObjectNode nested && e.getValue().isObject()) {
                merge(nested, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
    }

    /** A bad setting in a study config, with its dotted key, which the parser locates in the config's text. */
    static final class SettingError extends UserError {
        private static final long serialVersionUID = 1L;
        private final String key;

        SettingError(String key, String message) {
            super(key + ": " + message);
            this.key = key;
        }

        String key() {
            return key;
        }
    }
}
