package org.proxynas.nas.space;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;

/**
 * A DARTS cell pair: for the normal and the reduction cell, two incoming edges per intermediate node
 * ({@code normal.get(2i)}, {@code normal.get(2i + 1)} feed node i) and the states concatenated as the
 * cell output. State 0 and 1 are the cell's two inputs, state 2 + i is node i. Serializes with Jackson
 * as {@code {"normal": [{"op": ..., "input": ...}], "normalConcat": [...], ...}} and prints in DARTS'
 * Python form ({@link #toDartsString()}), which {@link #parse} reads back.
 */
public record Genotype(List<Edge> normal, List<Integer> normalConcat, List<Edge> reduce, List<Integer> reduceConcat) {

    /** One edge of a cell: operation {@code op} applied to state {@code input}. */
    public record Edge(String op, int input) {
        public Edge {
            if (op == null || !Operations.FACTORIES.containsKey(op)) {
                throw new UserError("genotype: unknown operation '" + op + "', expected one of "
                        + Operations.FACTORIES.keySet().stream().sorted().toList());
            }
            if (input < 0) {
                throw new UserError("genotype: edge " + op + " reads state " + input
                        + ", expected a non-negative state index");
            }
        }
    }

    private static final Map<String, Genotype> BUILT_IN = builtIn();

    public Genotype {
        normal = List.copyOf(normal);
        normalConcat = List.copyOf(normalConcat);
        reduce = List.copyOf(reduce);
        reduceConcat = List.copyOf(reduceConcat);
        checkCell("normal", normal, normalConcat);
        checkCell("reduce", reduce, reduceConcat);
    }

    private static void checkCell(String cell, List<Edge> edges, List<Integer> concat) {
        if (edges.isEmpty() || edges.size() % 2 != 0) {
            throw new UserError("genotype " + cell
                    + ": expected two edges per node (a positive even count), found " + edges.size());
        }
        for (int e = 0; e < edges.size(); e++) {
            int node = e / 2;
            if (edges.get(e).input() >= node + 2) {
                throw new UserError("genotype " + cell + ": node index out of range: edge " + e
                        + " ('" + edges.get(e).op() + "', " + edges.get(e).input() + ") feeds node " + node
                        + ", which can only read states 0.." + (node + 1));
            }
        }
        int states = edges.size() / 2 + 2;
        if (concat.isEmpty()) {
            throw new UserError("genotype " + cell + "_concat: expected at least one state");
        }
        for (int s : concat) {
            if (s < 0 || s >= states) {
                throw new UserError("genotype " + cell + "_concat: node index out of range: "
                        + s + ", expected 0.." + (states - 1));
            }
        }
    }

    /**
     * DARTS' printed form, e.g. {@code Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6),
     * reduce=[...], reduce_concat=range(2, 6))}.
     */
    public String toDartsString() {
        return "Genotype(normal=" + edgesText(normal) + ", normal_concat=" + concatText(normalConcat)
                + ", reduce=" + edgesText(reduce) + ", reduce_concat=" + concatText(reduceConcat) + ")";
    }

    @Override
    public String toString() {
        return toDartsString();
    }

    private static String edgesText(List<Edge> edges) {
        return edges.stream().map(e -> "('" + e.op() + "', " + e.input() + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String concatText(List<Integer> concat) {
        boolean contiguous = IntStream.range(1, concat.size()).allMatch(i -> concat.get(i) == concat.get(i - 1) + 1);
        return contiguous
                ? "range(" + concat.get(0) + ", " + (concat.get(concat.size() - 1) + 1) + ")"
                : concat.toString();
    }

    /**
     * Reads DARTS' text form: {@code Genotype(normal=[...], normal_concat=..., reduce=[...], reduce_concat=...)}
     * with the keywords in any order, concat as {@code range(a, b)} or a list, quotes single or double.
     * Errors name the 1-based character position, e.g. {@code genotype text: expected ')' at position 57}.
     */
    public static Genotype parse(String text) {
        return new GenotypeParser(text).parse();
    }

    /** Built-in genotypes by name: {@link #builtInNames()}. */
    public static Genotype named(String name) {
        Genotype g = BUILT_IN.get(name);
        if (g == null) {
            throw new UserError("genotype: unknown name '" + name + "', expected one of "
                    + builtInNames());
        }
        return g;
    }

    /** DARTS_V1, DARTS_V2 (= DARTS), PC_DARTS, NASNet, AmoebaNet. */
    public static List<String> builtInNames() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /**
     * A built-in name, a file ({@code .json}: a genotype object, or any object with a {@code "genotype"}
     * field holding one or its text; anything else: the text form), or the text form itself.
     */
    public static Genotype resolve(String nameFileOrText) throws IOException {
        String s = nameFileOrText == null ? "" : nameFileOrText.strip();
        if (s.isEmpty()) {
            throw new UserError("genotype: empty, expected a built-in name " + builtInNames()
                    + ", a file or genotype text");
        }
        if (BUILT_IN.containsKey(s)) {
            return BUILT_IN.get(s);
        }
        if (s.startsWith("Genotype")) {
            return parse(s);
        }
        Path file = asExistingFile(s);
        if (file == null) {
            throw new UserError("genotype: '" + s + "' is not a built-in name " + builtInNames()
                    + ", an existing file or genotype text");
        }
        return read(file);
    }

    private static Path asExistingFile(String s) {
        try {
            Path p = Path.of(s);
            return Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Reads a genotype file: JSON (see {@link #resolve}) when it starts with '{', else the text form. */
    public static Genotype read(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            if (!content.startsWith("{")) {
                return parse(content);
            }
            JsonNode node = Json.MAPPER.readTree(content);
            JsonNode inner = node.has("genotype") ? node.get("genotype") : node;
            return inner.isTextual() ? parse(inner.asText()) : Json.MAPPER.treeToValue(inner, Genotype.class);
        } catch (JacksonException e) {
            throw new UserError(file + ": not a genotype: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The discrete cell DARTS derives from softmax-normalized architecture weights ({@code _parse} in
     * DARTS' model_search.py): rows are the edges in DARTS order (node 0 from states 0, 1; node 1 from
     * 0, 1, 2; ...), columns {@link Primitives#NAMES}. Per node, keep the two incoming edges with the
     * largest non-{@code none} weight, each with its best non-{@code none} operation; ties go to the lower
     * index, as Python's stable sort does. The cells output their last {@code multiplier} nodes: the concat
     * lists are DARTS' {@code range(2 + nodes - multiplier, nodes + 2)}.
     */
    public static Genotype derive(float[][] normal, float[][] reduce, int multiplier) {
        int nodes = nodesFor("normal", normal);
        if (nodesFor("reduce", reduce) != nodes) {
            throw new UserError("derive: normal has " + normal.length + " edges, reduce "
                    + reduce.length + ", expected the same count");
        }
        if (multiplier < 1 || multiplier > nodes) {
            throw new UserError("derive: multiplier must be in 1.." + nodes + ", found " + multiplier);
        }
        List<Integer> concat = IntStream.range(2 + nodes - multiplier, nodes + 2).boxed().toList();
        return new Genotype(parseCell(normal, nodes), concat, parseCell(reduce, nodes), concat);
    }

    /** Nodes n of a cell with n(n+3)/2 edges. */
    static int nodesFor(String cell, float[][] weights) {
        int edges = 0;
        int nodes = 0;
        while (edges < weights.length) {
            edges += nodes + 2;
            nodes++;
        }
        if (edges != weights.length || nodes == 0) {
            throw new UserError("derive: " + cell + " has " + weights.length
                    + " rows, expected n(n+3)/2 for n nodes (14 for 4)");
        }
        for (float[] row : weights) {
            if (row.length != Primitives.NAMES.size()) {
                throw new UserError("derive: " + cell + " rows have " + row.length
                        + " columns, expected " + Primitives.NAMES.size() + " (Primitives.NAMES)");
            }
        }
        return nodes;
    }

    private static List<Edge> parseCell(float[][] w, int nodes) {
        int none = Primitives.indexOf(Primitives.NONE);
        List<Edge> gene = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < nodes; i++) {
            int first = start;
            List<Integer> strongest = IntStream.range(0, i + 2).boxed()
                    .sorted(Comparator.comparingDouble(j -> -strongestOp(w[first + j], none)))
                    .limit(2)
                    .toList();
            for (int j : strongest) {
                gene.add(new Edge(Primitives.NAMES.get(bestOp(w[start + j], none)), j));
            }
            start += i + 2;
        }
        return gene;
    }

    private static float strongestOp(float[] row, int none) {
        return row[bestOp(row, none)];
    }

    private static int bestOp(float[] row, int none) {
        int best = -1;
        for (int k = 0; k < row.length; k++) {
            if (k != none && (best < 0 || row[k] > row[best])) {
                best = k;
            }
        }
        return best;
    }

    private static Map<String, Genotype> builtIn() {
        Map<String, Genotype> m = new LinkedHashMap<>();
        // DARTS_V1, DARTS_V2 and NASNet/AmoebaNet: quark0/darts cnn/genotypes.py; PC_DARTS: Xu et al. 2020,
        // the CIFAR-10 cell of PC-DARTS' genotypes.py.
        m.put("DARTS_V1", parse("Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0),"
                + " ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"
                + " ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0),"
                + " ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0),"
                + " ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])"));
        m.put("DARTS_V2", parse("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"
                + " ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
                + " ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0),"
                + " ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0),"
                + " ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])"));
        m.put("DARTS", m.get("DARTS_V2"));
        m.put("PC_DARTS", parse("Genotype(normal=[('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 0),"
                + " ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0),"
                + " ('dil_conv_3x3', 1)], normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 1),"
                + " ('max_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_5x5', 2), ('sep_conv_3x3', 0),"
                + " ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('sep_conv_3x3', 2)], reduce_concat=range(2, 6))"));
        m.put("NASNet", parse("Genotype(normal=[('sep_conv_5x5', 1), ('sep_conv_3x3', 0), ('sep_conv_5x5', 0),"
                + " ('sep_conv_3x3', 0), ('avg_pool_3x3', 1), ('skip_connect', 0), ('avg_pool_3x3', 0),"
                + " ('avg_pool_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 1)], normal_concat=[2, 3, 4, 5, 6],"
                + " reduce=[('sep_conv_5x5', 1), ('sep_conv_7x7', 0), ('max_pool_3x3', 1), ('sep_conv_7x7', 0),"
                + " ('avg_pool_3x3', 1), ('sep_conv_5x5', 0), ('skip_connect', 3), ('avg_pool_3x3', 2),"
                + " ('sep_conv_3x3', 2), ('max_pool_3x3', 1)], reduce_concat=[4, 5, 6])"));
        m.put("AmoebaNet", parse("Genotype(normal=[('avg_pool_3x3', 0), ('max_pool_3x3', 1), ('sep_conv_3x3', 0),"
                + " ('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('avg_pool_3x3', 3), ('sep_conv_3x3', 1),"
                + " ('skip_connect', 1), ('skip_connect', 0), ('avg_pool_3x3', 1)], normal_concat=[4, 5, 6],"
                + " reduce=[('avg_pool_3x3', 0), ('sep_conv_3x3', 1), ('max_pool_3x3', 0), ('sep_conv_7x7', 2),"
                + " ('sep_conv_7x7', 0), ('avg_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1),"
                + " ('conv_7x1_1x7', 0), ('sep_conv_3x3', 5)], reduce_concat=[3, 4, 6])"));
        return Collections.unmodifiableMap(m);
    }
}
