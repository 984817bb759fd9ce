package org.proxynas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.proxynas.nas.space.Genotype;

/**
 * Draws one cell of a genotype the way DARTS' visualize.py lays it out (inputs left, intermediate nodes
 * in the middle, the concatenated output right, edges labelled with their operation), in plain Java2D
 * so reports need no Graphviz.
 */
public final class CellDiagram {
    private static final int NODE_W = 70;
    private static final int NODE_H = 30;
    private static final int COL_GAP = 150;
    private static final int ROW_GAP = 70;

    private CellDiagram() {}

    public static BufferedImage draw(Genotype genotype, boolean reduction) {
        List<Genotype.Edge> edges = reduction ? genotype.reduce() : genotype.normal();
        List<Integer> concat = reduction ? genotype.reduceConcat() : genotype.normalConcat();
        int nodes = edges.size() / 2;
        int width = 2 * 40 + (nodes + 2) * COL_GAP;
        int height = 2 * 40 + Math.max(2, nodes) * ROW_GAP + 30;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.setColor(Color.DARK_GRAY);
            g.drawString(reduction ? "reduction cell" : "normal cell", 10, 20);

            // Node k's position: inputs 0 (c_{k-2}) and 1 (c_{k-1}) in column 0, node i in column 1 + i,
            // staggered vertically so edges that skip columns stay readable.
            int[] x = new int[nodes + 3];
            int[] y = new int[nodes + 3];
            x[0] = 40;
            y[0] = 40 + ROW_GAP / 2;
            x[1] = 40;
            y[1] = 40 + ROW_GAP / 2 + ROW_GAP * Math.max(1, nodes - 1);
            for (int i = 0; i < nodes; i++) {
                x[2 + i] = 40 + (i + 1) * COL_GAP;
                y[2 + i] = 40 + (i % 2 == 0 ? ROW_GAP / 2 : ROW_GAP / 2 + ROW_GAP) + (i / 2) * ROW_GAP / 2;
            }
            x[nodes + 2] = 40 + (nodes + 1) * COL_GAP;
            y[nodes + 2] = (y[0] + y[1]) / 2;

            g.setStroke(new BasicStroke(1.4f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int e = 0; e < edges.size(); e++) {
                Genotype.Edge edge = edges.get(e);
                int to = 2 + e / 2;
                arrow(g, x[edge.input()] + NODE_W, y[edge.input()], x[to], y[to], new Color(60, 90, 160));
                label(g, edge.op(), (x[edge.input()] + NODE_W + x[to]) / 2, (y[edge.input()] + y[to]) / 2 - 4
                        + (e % 2 == 0 ? -6 : 8));
            }
            for (int node : concat) {
                arrow(g, x[node] + NODE_W, y[node], x[nodes + 2], y[nodes + 2], Color.GRAY);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            box(g, x[0], y[0], "c_{k-2}", new Color(200, 230, 200));
            box(g, x[1], y[1], "c_{k-1}", new Color(200, 230, 200));
            for (int i = 0; i < nodes; i++) {
                box(g, x[2 + i], y[2 + i], Integer.toString(i), new Color(200, 215, 240));
            }
            box(g, x[nodes + 2], y[nodes + 2], "c_{k}", new Color(245, 225, 180));
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void box(Graphics2D g, int x, int y, String text, Color fill) {
        g.setColor(fill);
        g.fillRoundRect(x, y - NODE_H / 2, NODE_W, NODE_H, 12, 12);
        g.setColor(Color.DARK_GRAY);
        g.drawRoundRect(x, y - NODE_H / 2, NODE_W, NODE_H, 12, 12);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, x + (NODE_W - fm.stringWidth(text)) / 2, y + fm.getAscent() / 2 - 1);
    }

    private static void label(Graphics2D g, String text, int cx, int cy) {
        FontMetrics fm = g.getFontMetrics();
        int w = fm.stringWidth(text);
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(cx - w / 2 - 2, cy - fm.getAscent(), w + 4, fm.getHeight());
        g.setColor(Color.BLACK);
        g.drawString(text, cx - w / 2, cy);
    }

    private static void arrow(Graphics2D g, int x1, int y1, int x2, int y2, Color color) {
        g.setColor(color);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
        double angle = Math.atan2(y2 - y1, x2 - x1);
        Path2D head = new Path2D.Double();
        head.moveTo(x2, y2);
        head.lineTo(x2 - 9 * Math.cos(angle - 0.4), y2 - 9 * Math.sin(angle - 0.4));
        head.lineTo(x2 - 9 * Math.cos(angle + 0.4), y2 - 9 * Math.sin(angle + 0.4));
        head.closePath();
        g.fill(head);
    }
}
