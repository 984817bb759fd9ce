package org.proxynas.nas.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.proxynas.common.AtomicFiles;
import org.proxynas.nas.space.Genotype;

/**
 * A cell as a Graphviz graph, laid out like DARTS' {@code visualize.py}: the two cell inputs
 * {@code c_{k-2}}, {@code c_{k-1}}, the intermediate nodes 0..n−1, the output {@code c_{k}}, each edge
 * labelled by its operation.
 */
public final class GraphvizCell {
    private GraphvizCell() {}

    /** The Graphviz text of one cell. */
    public static String dot(List<Genotype.Edge> edges, List<Integer> concat, String title) {
        StringBuilder s = new StringBuilder();
        s.append("digraph \"").append(title).append("\" {\n");
        s.append("  rankdir=LR;\n");
        s.append("  edge [fontsize=20, fontname=\"times\"];\n");
        s.append("  node [style=\"rounded, filled\", shape=rect, align=center, fontsize=20, height=0.5, width=0.5,"
                + " penwidth=2, fontname=\"times\"];\n");
        s.append("  \"c_{k-2}\" [fillcolor=darkseagreen2];\n");
        s.append("  \"c_{k-1}\" [fillcolor=darkseagreen2];\n");
        int nodes = edges.size() / 2;
        for (int i = 0; i < nodes; i++) {
            s.append("  \"").append(i).append("\" [fillcolor=lightblue];\n");
        }
        for (int i = 0; i < nodes; i++) {
            for (int k = 2 * i; k < 2 * i + 2; k++) {
                Genotype.Edge e = edges.get(k);
                s.append("  \"").append(inputName(e.input())).append("\" -> \"").append(i)
                        .append("\" [label=\"").append(e.op()).append("\", fillcolor=gray];\n");
            }
        }
        s.append("  \"c_{k}\" [fillcolor=palegoldenrod];\n");
        for (int state : concat) {
            s.append("  \"").append(inputName(state)).append("\" -> \"c_{k}\" [fillcolor=gray];\n");
        }
        s.append("}\n");
        return s.toString();
    }

    private static String inputName(int state) {
        return switch (state) {
            case 0 -> "c_{k-2}";
            case 1 -> "c_{k-1}";
            default -> Integer.toString(state - 2);
        };
    }

    /**
     * Renders {@code dotFile} to {@code pngFile} with Graphviz when {@code dot} is on the PATH; returns
     * whether it did. Rendering is a convenience: its absence or failure never fails a search.
     */
    public static boolean renderPng(Path dotFile, Path pngFile) {
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tpng", dotFile.toAbsolutePath().toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException notInstalled) {
            return false;
        }
        try (InputStream out = p.getInputStream()) {
            byte[] png = out.readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || png.length == 0) {
                p.destroy();
                return false;
            }
            AtomicFiles.write(pngFile, png);
            return Files.size(pngFile) > 0;
        } catch (IOException e) {
            p.destroy();
            return false;
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
