package org.proxynas.score;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.UserError;

/**
 * The {@code scores.csv} format: a header line, then one row per training example.
 *
 * <pre>
 * index,label,entropy,predicted,true_prob,margin,forgetting
 * 0,9,1.2345678901234567E-21,9,1.0,0.99999,0
 * </pre>
 *
 * {@code index}, {@code label} and {@code entropy} are required; the other columns are optional, extra
 * columns are ignored, any column order is accepted, rows may come in any order but must cover indices
 * {@code 0..N-1} exactly once. Fields are plain numbers (no quoting). Doubles are written with
 * {@link Double#toString}, the shortest text that parses back to the same double, so entropies like
 * {@code 1e-21} of very confident predictions survive a round trip exactly.
 */
public final class ScoresCsv {
    /**
     * The scoring run's summary that belongs to {@code csv}: the same name with {@code .json} for
     * {@code .csv} ({@code runs/foo.csv} → {@code runs/foo.json}), as {@code proxynas score} writes it.
     */
    public static Path summaryOf(Path csv) {
        String name = csv.getFileName().toString();
        String stem = name.endsWith(".csv") ? name.substring(0, name.length() - ".csv".length()) : name;
        return csv.resolveSibling(stem + ".json");
    }

    public static final String INDEX = "index";
    public static final String LABEL = "label";
    public static final String ENTROPY = "entropy";
    public static final String PREDICTED = "predicted";
    public static final String TRUE_PROB = "true_prob";
    public static final String MARGIN = "margin";
    public static final String FORGETTING = "forgetting";
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private ScoresCsv() {}

    /** Reads and validates a score file; labels are only checked to be non-negative. */
    public static ScoreTable read(Path csv) throws IOException {
        return read(csv, Integer.MAX_VALUE);
    }

    /**
     * Reads and validates a score file whose labels must lie in {@code 0..numClasses-1}. Every problem is
     * reported as one line {@code file:line: what is wrong}.
     */
    public static ScoreTable read(Path csv, int numClasses) throws IOException {
        List<String> lines;
        try (BufferedReader in = Files.newBufferedReader(UserError.requireFile(csv), StandardCharsets.UTF_8)) {
            lines = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        // A spreadsheet saving "CSV UTF-8" starts the file with a byte-order mark, which Java's UTF-8 decoder keeps
        // as a character of the first column's name; it is no part of the header.
        if (!lines.isEmpty() && lines.get(0).startsWith(BYTE_ORDER_MARK)) {
            lines.set(0, lines.get(0).substring(BYTE_ORDER_MARK.length()));
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new UserError(csv + ":1: expected a header line with columns " + INDEX + "," + LABEL + ","
                    + ENTROPY + ", found " + (lines.isEmpty() ? "an empty file" : "a blank line"));
        }
        Map<String, Integer> columns = header(csv, lines.get(0));
        int rows = 0;
        for (int l = 1; l < lines.size(); l++) {
            if (!lines.get(l).isBlank()) {
                rows++;
            }
        }
        if (rows == 0) {
            throw new UserError(csv + ":2: no rows after the header, expected one row per training example");
        }
        return new Parser(csv, columns, rows, numClasses).parse(lines);
    }

    /** Writes {@code table} atomically, with only the columns the table has. */
    public static void write(Path csv, ScoreTable table) throws IOException {
        boolean predicted = table.hasPredicted();
        boolean trueProb = table.hasTrueProb();
        boolean margin = table.hasMargin();
        boolean forgetting = table.hasForgetting();
        int[] label = table.label();
        double[] entropy = table.entropy();
        int[] pred = table.predicted();
        double[] prob = table.trueProb();
        double[] marg = table.margin();
        int[] forg = table.forgetting();
        AtomicFiles.write(csv, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            StringBuilder row = new StringBuilder(128);
            row.append(INDEX).append(',').append(LABEL).append(',').append(ENTROPY);
            appendName(row, predicted, PREDICTED);
            appendName(row, trueProb, TRUE_PROB);
            appendName(row, margin, MARGIN);
            appendName(row, forgetting, FORGETTING);
            w.append(row).append('\n');
            for (int i = 0; i < label.length; i++) {
                row.setLength(0);
                row.append(i).append(',').append(label[i]).append(',').append(entropy[i]);
                if (predicted) {
                    row.append(',').append(pred[i]);
                }
                if (trueProb) {
                    row.append(',').append(prob[i]);
                }
                if (margin) {
                    row.append(',').append(marg[i]);
                }
                if (forgetting) {
                    row.append(',').append(forg[i]);
                }
                w.append(row).append('\n');
            }
            w.flush();
        });
    }

    private static void appendName(StringBuilder row, boolean present, String name) {
        if (present) {
            row.append(',').append(name);
        }
    }

    private static Map<String, Integer> header(Path csv, String line) throws IOException {
        String[] names = line.strip().split(",", -1);
        Map<String, Integer> columns = new HashMap<>();
        for (int c = 0; c < names.length; c++) {
            String name = names[c].strip();
            if (columns.put(name, c) != null) {
                throw new UserError(csv + ":1: column '" + name + "' appears twice in the header");
            }
        }
        for (String required : List.of(INDEX, LABEL, ENTROPY)) {
            if (!columns.containsKey(required)) {
                throw new UserError(csv + ":1: header lacks required column '" + required + "' (expected at least "
                        + INDEX + "," + LABEL + "," + ENTROPY + ", found '" + line.strip() + "')");
            }
        }
        return columns;
    }

    /** One pass over the rows; remembers where each index was seen so duplicates name both lines. */
    private static final class Parser {
        private final Path csv;
        private final int width;
        private final int numClasses;
        private final int index;
        private final int label;
        private final int entropy;
        private final int predicted;
        private final int trueProb;
        private final int margin;
        private final int forgetting;
        private final int rows;
        private final String[] fields;
        private int lineNo;

        Parser(Path csv, Map<String, Integer> columns, int rows, int numClasses) {
            this.csv = csv;
            this.width = columns.size();
            this.numClasses = numClasses;
            this.rows = rows;
            this.index = columns.get(INDEX);
            this.label = columns.get(LABEL);
            this.entropy = columns.get(ENTROPY);
            this.predicted = columns.getOrDefault(PREDICTED, -1);
            this.trueProb = columns.getOrDefault(TRUE_PROB, -1);
            this.margin = columns.getOrDefault(MARGIN, -1);
            this.forgetting = columns.getOrDefault(FORGETTING, -1);
            this.fields = new String[width];
        }

        ScoreTable parse(List<String> lines) throws IOException {
            int[] labels = new int[rows];
            double[] entropies = new double[rows];
            int[] preds = predicted < 0 ? null : new int[rows];
            double[] probs = trueProb < 0 ? null : new double[rows];
            double[] margins = margin < 0 ? null : new double[rows];
            int[] forgets = forgetting < 0 ? null : new int[rows];
            int[] seenAt = new int[rows];
            for (int l = 1; l < lines.size(); l++) {
                String line = lines.get(l);
                if (line.isBlank()) {
                    continue;
                }
                lineNo = l + 1;
                split(line);
                int i = parseInt(INDEX, index);
                if (i >= rows) {
                    throw error("index " + i + " is outside 0.." + (rows - 1) + " (the file has " + rows + " rows)");
                }
                if (seenAt[i] != 0) {
                    throw error("index " + i + " already appeared on line " + seenAt[i]);
                }
                seenAt[i] = lineNo;
                labels[i] = parseInt(LABEL, label);
                if (labels[i] >= numClasses) {
                    throw error("label " + labels[i] + " is outside 0.." + (numClasses - 1));
                }
                entropies[i] = parseDouble(ENTROPY, entropy);
                if (entropies[i] < 0) {
                    throw error("entropy " + fields[entropy] + " is negative");
                }
                if (preds != null) {
                    preds[i] = parseInt(PREDICTED, predicted);
                }
                if (probs != null) {
                    probs[i] = parseDouble(TRUE_PROB, trueProb);
                }
                if (margins != null) {
                    margins[i] = parseDouble(MARGIN, margin);
                }
                if (forgets != null) {
                    forgets[i] = parseInt(FORGETTING, forgetting);
                }
            }
            return new ScoreTable(labels, entropies, preds, probs, margins, forgets);
        }

        private void split(String line) throws IOException {
            int start = 0;
            int c = 0;
            for (int pos = 0; pos <= line.length(); pos++) {
                if (pos == line.length() || line.charAt(pos) == ',') {
                    if (c == width) {
                        throw error("expected " + width + " fields like the header, found more");
                    }
                    fields[c++] = line.substring(start, pos).strip();
                    start = pos + 1;
                }
            }
            if (c != width) {
                throw error("expected " + width + " fields like the header, found " + c);
            }
        }

        private int parseInt(String name, int column) throws IOException {
            String text = fields[column];
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw error(name + " '" + text + "' is not an integer");
            }
            if (value < 0) {
                throw error(name + " " + value + " is negative");
            }
            return value;
        }

        private double parseDouble(String name, int column) throws IOException {
            String text = fields[column];
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw error(name + " '" + text + "' is not a number");
            }
            if (!Double.isFinite(value)) {
                throw error(name + " '" + text + "' is not a finite number");
            }
            return value;
        }

        private UserError error(String what) {
            return new UserError(csv + ":" + lineNo + ": " + what);
        }
    }
}
