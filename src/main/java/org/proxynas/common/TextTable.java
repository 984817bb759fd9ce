package org.proxynas.common;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table for terminals: columns padded to their widest cell, numbers right-aligned. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    public TextTable add(Object... cells) {
        if (cells.length != header.size()) {
            throw new UserError("row has " + cells.length + " cells, the table " + header.size());
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(String.valueOf(c));
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, false);
        for (int c = 0; c < width.length; c++) {
            sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width, true);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean alignNumbers) {
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            boolean right = alignNumbers && isNumeric(cell);
            String pad = " ".repeat(width[c] - cell.length());
            sb.append(c == 0 ? "" : "  ").append(right ? pad + cell : c == width.length - 1 ? cell : cell + pad);
        }
        sb.append('\n');
    }

    private static boolean isNumeric(String s) {
        return !s.isEmpty() && s.matches("[-+]?[0-9.,]+(e[-+]?[0-9]+)?[%x]?( ± [0-9.]+%?)?");
    }
}
