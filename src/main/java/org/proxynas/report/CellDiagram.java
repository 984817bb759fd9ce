package org.proxynas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
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
    private static final int ROW_GAP = 80;

    private CellDiagram() {}

    public static BufferedImage draw(Genotype genotype, boolean reduction) {
        List<Genotype.Edge> edges = reduction ? genotype.reduce() : genotype.normal();
        List<Integer> concat = reduction ? genotype.reduceConcat() : genotype.normalConcat();
        int nodes = edges.size() / 2;
        int width = 2 * 40 + (nodes + 2) * COL_GAP;
        int height = 2 * 40 + Math.max(2, nodes) * ROW_GAP;
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

            // Inputs at the top and bottom left, intermediate nodes on a diagonal between them (one column
            // each, so edges from earlier nodes never run through later ones), the output at the right.
            int[] x = new int[nodes + 3];
            int[] y = new int[nodes + 3];
            int top = 50;
            int bottom = height - 50;
            x[0] = 40;
            y[0] = top;
            x[1] = 40;
            y[1] = bottom;
            for (int i = 0; i < nodes; i++) {
                x[2 + i] = 40 + (i + 1) * COL_GAP;
                y[2 + i] = nodes == 1 ? (top + bottom) / 2 : top + (bottom - top) * (2 * i + 1) / (2 * nodes);
            }
            x[nodes + 2] = 40 + (nodes + 1) * COL_GAP;
            y[nodes + 2] = (y[0] + y[1]) / 2;

            g.setStroke(new BasicStroke(1.4f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int e = 0; e < edges.size(); e++) {
                Genotype.Edge edge = edges.get(e);
                int from = edge.input();
                int to = 2 + e / 2;
                // Edges bow away from the diagonal the nodes sit on: up for c_{k-2} and earlier nodes, down
                // for c_{k-1}, so an edge never runs through the boxes between its ends.
                double bow = from == 1 ? 0.22 : -0.22;
                curve(g, x[from] + NODE_W, y[from], x[to], y[to], bow, edge.op());
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

    /** A quadratic edge from (x1,y1) to (x2,y2), bowed sideways by {@code bow} of its length, labelled. */
    private static void curve(Graphics2D g, int x1, int y1, int x2, int y2, double bow, String text) {
        double mx = (x1 + x2) / 2.0;
        double my = (y1 + y2) / 2.0;
        double dx = x2 - x1;
        double dy = y2 - y1;
        double cx = mx - dy * bow;
        double cy = my + dx * bow;
        g.setColor(new Color(60, 90, 160));
        g.draw(new QuadCurve2D.Double(x1, y1, cx, cy, x2, y2));
        arrowHead(g, cx, cy, x2, y2);
        double t = 0.55;
        double lx = (1 - t) * (1 - t) * x1 + 2 * t * (1 - t) * cx + t * t * x2;
        double ly = (1 - t) * (1 - t) * y1 + 2 * t * (1 - t) * cy + t * t * y2;
        label(g, text, (int) lx, (int) ly + 4);
    }

    private static void arrow(Graphics2D g, int x1, int y1, int x2, int y2, Color color) {
        g.setColor(color);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
        arrowHead(g, x1, y1, x2, y2);
    }

    /** A filled head at (x2,y2) pointing along the direction from (x1,y1). */
    private static void arrowHead(Graphics2D g, double x1, double y1, double x2, double y2) {
        double angle = Math.atan2(y2 - y1, x2 - x1);
        Path2D head = new Path2D.Double();
        head.moveTo(x2, y2);
        head.lineTo(x2 - 9 * Math.cos(angle - 0.4), y2 - 9 * Math.sin(angle - 0.4));
        head.lineTo(x2 - 9 * Math.cos(angle + 0.4), y2 - 9 * Math.sin(angle + 0.4));
        head.closePath();
        g.fill(head);
    }
}
