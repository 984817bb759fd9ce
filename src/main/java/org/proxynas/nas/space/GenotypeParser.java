package org.proxynas.nas.space;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.proxynas.common.UserError;

/** Recursive-descent reader of DARTS' genotype text; every error names a 1-based character position. */
final class GenotypeParser {
    private static final List<String> KEYS = List.of("normal", "normal_concat", "reduce", "reduce_concat");

    private final String text;
    private int pos;

    GenotypeParser(String text) {
        this.text = text == null ? "" : text;
    }

    @SuppressWarnings("unchecked")
    Genotype parse() {
        skipSpace();
        expectWord("Genotype");
        expect('(');
        Map<String, Object> fields = new HashMap<>();
        while (true) {
            skipSpace();
            if (peek() == ')' && fields.size() == KEYS.size()) {
                break;
            }
            int keyAt = pos;
            String key = word();
            if (!KEYS.contains(key)) {
                throw error("expected one of " + KEYS, keyAt);
            }
            if (fields.containsKey(key)) {
                throw error(key + " given twice", keyAt);
            }
            expect('=');
            fields.put(key, key.endsWith("_concat") ? concat() : edges());
            skipSpace();
            if (fields.size() == KEYS.size()) {
                if (peek() == ',') {
                    pos++;
                }
                continue;
            }
            expect(',');
        }
        expect(')');
        skipSpace();
        if (pos < text.length()) {
            throw error("expected the end of the text", pos);
        }
        return new Genotype((List<Genotype.Edge>) fields.get("normal"), (List<Integer>) fields.get("normal_concat"),
                (List<Genotype.Edge>) fields.get("reduce"), (List<Integer>) fields.get("reduce_concat"));
    }

    private List<Genotype.Edge> edges() {
        expect('[');
        List<Genotype.Edge> edges = new ArrayList<>();
        skipSpace();
        while (peek() != ']') {
            expect('(');
            int opAt = position();
            String op = quoted();
            if (!Operations.FACTORIES.containsKey(op)) {
                throw error("unknown operation '" + op + "'", opAt);
            }
            expect(',');
            int inputAt = position();
            int input = integer();
            int node = edges.size() / 2;
            if (input >= node + 2) {
                throw error("node index out of range: " + input + " feeds node " + node
                        + ", which can only read states 0.." + (node + 1), inputAt);
            }
            expect(')');
            edges.add(new Genotype.Edge(op, input));
            if (!commaOrEnd(']')) {
                break;
            }
        }
        expect(']');
        return edges;
    }

    private List<Integer> concat() {
        skipSpace();
        if (peek() == 'r') {
            expectWord("range");
            expect('(');
            int from = integer();
            expect(',');
            int to = integer();
            expect(')');
            return IntStream.range(from, to).boxed().toList();
        }
        expect('[');
        List<Integer> list = new ArrayList<>();
        skipSpace();
        while (peek() != ']') {
            list.add(integer());
            if (!commaOrEnd(']')) {
                break;
            }
        }
        expect(']');
        return list;
    }

    /** After a list item: consumes a comma and says whether more may follow; false at the closing bracket. */
    private boolean commaOrEnd(char close) {
        skipSpace();
        if (peek() == ',') {
            pos++;
            skipSpace();
            return true;
        }
        if (peek() != close) {
            throw error("expected ',' or '" + close + "'", pos);
        }
        return false;
    }

    private String quoted() {
        skipSpace();
        char quote = peek();
        if (quote != '\'' && quote != '"') {
            throw error("expected a quoted operation name", pos);
        }
        int end = text.indexOf(quote, pos + 1);
        if (end < 0) {
            throw error("unterminated operation name", pos);
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return s;
    }

    private int integer() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos || pos - start > 9) {
            throw error("expected a node index", start);
        }
        return Integer.parseInt(text.substring(start, pos));
    }

    private String word() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expectWord(String expected) {
        int at = position();
        if (!word().equals(expected)) {
            throw error("expected '" + expected + "'", at);
        }
    }

    private void expect(char c) {
        skipSpace();
        if (peek() != c) {
            throw error("expected '" + c + "'", pos);
        }
        pos++;
    }

    private int position() {
        skipSpace();
        return pos;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what, int at) {
        String found = at < text.length() ? "" : " (end of text)";
        return new UserError("genotype text: " + what + " at position " + (at + 1) + found);
    }
}
