package org.proxynas.common;

import java.util.TreeSet;

import java.util.Set;

import java.util.List;

import java.util.Collection;

import java.util.ArrayList;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one Jackson mapper every stage uses, so all JSON output has the same shape (pretty, stable order), and
 * every JSON file read is read strictly: a repeated key is refused, since Jackson would otherwise keep the
 * last one silently (a subset file with two "indices" arrays would train on one the user may not have meant).
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {}

    /** Writes {@code value} as pretty JSON to {@code file} atomically. */
    public static void write(Path file, Object value) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        AtomicFiles.write(file, bytes);
    }

    /** One compact line, for JSON-lines logs. */
    public static String line(Object value) throws IOException {
        return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    public static String pretty(Object value) throws IOException {
        return new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
    }

    public static <T> T read(Path file, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // a record refusing what it was given says what is wrong in its own words: name the file before them
            if (e.getCause() instanceof UserError invalid) {
                throw new UserError(file + ": " + invalid.getMessage(), e);
            }
            throw new UserError(file + ": not valid JSON for " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * The settings in which {@code saved} (a config as read back from a file) and {@code now} differ, as
     * "key: was X, now Y", {@code ignored} keys aside. {@code now} goes through JSON text first, so a number
     * compares by its value, not by the node type Jackson happened to build for it.
     */
    public static List<String> differences(JsonNode saved, Object now, Collection<String> ignored)
            throws IOException {
        JsonNode current = MAPPER.readTree(MAPPER.writeValueAsString(now));
        Set<String> keys = new TreeSet<>();
        saved.fieldNames().forEachRemaining(keys::add);
        current.fieldNames().forEachRemaining(keys::add);
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            if (!ignored.contains(key) && !saved.path(key).equals(current.path(key))) {
                out.add(key + ": was " + saved.path(key) + ", now " + current.path(key));
            }
        }
        return out;
    }
}
