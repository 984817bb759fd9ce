package org.proxynas.experiment;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Jackson's errors about a config file in the config's own words, on one line: the key (as {@code search.epochs}),
 * what was expected there and what was found, and the line and column; never Java type names.
 */
final class ConfigErrors {
    private ConfigErrors() {}

    static String describe(JacksonException e) {
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return key(e) + ": " + describeValue(e) + at(e.getLocation());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml) {
                Mark mark = yaml.getProblemMark();
                return "not valid YAML: " + yaml.getProblem()
                        + (mark == null ? "" : at(mark.getLine() + 1, mark.getColumn() + 1));
            }
            // Jackson's duplicate detection has no exception type of its own, only this message.
            if (t instanceof JacksonException j && j.getOriginalMessage().startsWith("Duplicate field")
                    && j.getProcessor() instanceof JsonParser parser) {
                return key(parser.getParsingContext()) + ": duplicate key, each key may appear once"
                        + at(j.getLocation());
            }
        }
        String key = key(e);
        String message = e.getOriginalMessage().lines().findFirst().orElse("");
        return (key.isEmpty() ? "" : key + ": ") + message + at(e.getLocation());
    }

    /**
     * What is wrong with a value, without its key or place: "expected an integer, found 1.5", or Jackson's own
     * first line.
     */
    static String describeValue(JacksonException e) {
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String found = e instanceof InvalidFormatException f ? ", found " + f.getValue() : "";
            return "expected " + expected(m.getTargetType()) + found;
        }
        return e.getOriginalMessage().lines().findFirst().orElse("");
    }

    /** The dotted key of the value being mapped, e.g. {@code search.epochs} or {@code seeds[1]}; empty if none. */
    static String key(JacksonException e) {
        StringBuilder key = new StringBuilder();
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference ref : m.getPath()) {
                append(key, ref.getFieldName(), ref.getIndex());
            }
        }
        return key.toString();
    }

    /**
     * Where the value of {@code key} (dotted, as {@link #key(JacksonException)} writes it) stands in the config
     * {@code text}, as " (line L, column C)"; empty when it is not there (a default, or not YAML).
     */
    static String at(String text, String key) {
        try (JsonParser parser = YAML_FACTORY.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
                    continue;
                }
                JsonStreamContext context = token.isStructStart() ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                if (key.equals(key(context))) {
                    return at(parser.currentTokenLocation());
                }
            }
        } catch (IOException e) {
            // text the config reader has parsed already: an error here only means no location
        }
        return "";
    }

    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();

    /** The dotted key the parser stands at. */
    static String key(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        StringBuilder key = new StringBuilder(key(context.getParent()));
        append(key, context.inObject() ? context.getCurrentName() : null, context.getCurrentIndex());
        return key.toString();
    }

    private static void append(StringBuilder key, String field, int index) {
        if (field != null) {
            key.append(key.length() == 0 ? "" : ".").append(field);
        } else {
            key.append('[').append(index).append(']');
        }
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a section of keys";
    }

    static String at(JsonLocation where) {
        return where == null ? "" : at(where.getLineNr(), where.getColumnNr());
    }

    private static String at(int line, int column) {
        return line < 1 ? "" : " (line " + line + ", column " + column + ")";
    }
}
