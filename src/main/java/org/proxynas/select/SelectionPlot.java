package org.proxynas.select;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.proxynas.common.AtomicFiles;

/**
 * One PNG, two panels: the log10-entropy histogram of the full set with the selection overlaid in the same
 * bins, and the class distribution of both (for more than 40 classes, a histogram of how over- or
 * under-represented each class is). Fractions of each set are shown, so a selection
 * of 10% is drawn on the same scale as the full set and any reshaping (tails favoured, classes skewed)
 * shows directly.
 */
public final class SelectionPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final Color FULL = new Color(160, 160, 160, 200);
    private static final Color SELECTED = new Color(31, 119, 180, 190);
    /** Beyond this many classes the class panel shows a histogram of per-class representation instead. */
    private static final int MAX_CLASS_BARS = 40;
    private static final int RATIO_BINS = 30;

    private SelectionPlot() {}

    public static void write(Path png, ProxySet set, List<String> classNames) throws IOException {
        BufferedImage left = BitmapEncoder.getBufferedImage(histogram(set));
        BufferedImage right = BitmapEncoder.getBufferedImage(classes(set, classNames));
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(),
                right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(both, "png", out)) {
                throw new IOException(png + ": no PNG writer available");
            }
        });
    }

    private static CategoryChart histogram(ProxySet set) {
        SelectionStats s = set.stats();
        double[] edges = s.binEdges();
        List<String> bins = new ArrayList<>();
        for (int b = 0; b + 1 < edges.length; b++) {
            bins.add(String.format(Locale.ROOT, "%.2f", (edges[b] + edges[b + 1]) / 2));
        }
        CategoryChart chart = chart("Entropy histogram (bin width " + s.binWidth() + ")", "log10 entropy (bin centre)",
                "fraction of set");
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setOverlapped(true);
        chart.addSeries(label("full set", set.poolSize()), bins, fractions(s.binCountsFull()));
        chart.addSeries(label(describe(set), set.size()), bins, fractions(s.binCountsSelected()));
        return chart;
    }

    private static CategoryChart classes(ProxySet set, List<String> classNames) {
        SelectionStats s = set.stats();
        int[] full = s.classCountsFull();
        if (full.length > MAX_CLASS_BARS) {
            return classRepresentation(set);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < full.length; c++) {
            names.add(c < classNames.size() ? classNames.get(c) : Integer.toString(c));
        }
        CategoryChart chart = chart("Class distribution (balance " + String.format(Locale.ROOT, "%.2f",
                set.classBalance()) + ")", "class", "fraction of set");
        chart.getStyler().setXAxisLabelRotation(names.stream().anyMatch(n -> n.length() > 3) ? 45 : 0);
        chart.addSeries(label("full set", set.poolSize()), names, fractions(full));
        chart.addSeries(label(describe(set), set.size()), names, fractions(s.classCountsSelected()));
        return chart;
    }

    /**
     * Too many classes for a bar each (ImageNet): how many classes got each share of the selection relative
     * to their share of the full set (1 = represented exactly as in the full set).
     */
    private static CategoryChart classRepresentation(ProxySet set) {
        SelectionStats s = set.stats();
        int[] full = s.classCountsFull();
        int[] selected = s.classCountsSelected();
        double[] ratio = new double[full.length];
        double max = 0;
        for (int c = 0; c < full.length; c++) {
            ratio[c] = full[c] == 0 ? 0 : ((double) selected[c] / set.size()) / ((double) full[c] / set.poolSize());
            max = Math.max(max, ratio[c]);
        }
        double width = Math.max(max, 2.0) / RATIO_BINS;
        int[] counts = new int[RATIO_BINS];
        for (int c = 0; c < full.length; c++) {
            if (full[c] > 0) {
                counts[Math.min(RATIO_BINS - 1, (int) (ratio[c] / width))]++;
            }
        }
        List<String> bins = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int b = 0; b < RATIO_BINS; b++) {
            bins.add(String.format(Locale.ROOT, "%.2f", (b + 0.5) * width));
            values.add(counts[b]);
        }
        CategoryChart chart = chart("Class representation, " + full.length + " classes (balance "
                + String.format(Locale.ROOT, "%.2f", set.classBalance()) + ")",
                "share in selection / share in full set", "classes");
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setSeriesColors(new Color[] {SELECTED});
        chart.addSeries(label(describe(set), set.size()), bins, values);
        return chart;
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBorderVisible(false);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setSeriesColors(new Color[] {FULL, SELECTED});
        chart.getStyler().setAvailableSpaceFill(0.9);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setYAxisDecimalPattern("0.0##");
        return chart;
    }

    private static String describe(ProxySet set) {
        return set.method() + (set.parameters().isEmpty() ? "" : " " + set.parameters());
    }

    private static String label(String what, int n) {
        return what + String.format(Locale.ROOT, " (n=%,d)", n);
    }

    private static List<Double> fractions(int[] counts) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        List<Double> out = new ArrayList<>(counts.length);
        for (int c : counts) {
            out.add(total == 0 ? 0.0 : (double) c / total);
        }
        return out;
    }
}
