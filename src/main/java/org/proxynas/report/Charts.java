package org.proxynas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's XChart figures, rendered to PNG bytes so the HTML can embed them. */
final class Charts {
    private static final Color BAR = new Color(0x4C, 0x72, 0xB0);

    private Charts() {}

    /** A named curve: y against x. */
    record Series(String name, double[] x, double[] y) {}

    static XYChart lines(String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart);
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** One point per item, a series per group (a legend only when there are several groups). */
    static XYChart scatter(String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y());
        }
        return chart;
    }

    /** Where the names of {@link #bars} stand: left of -1, in the part of the axis no τ can reach. */
    private static final double NAMES_FROM = -2.4;

    /**
     * Horizontal bars of values in [-1, 1] with their 95% intervals, one row per name, the first on top: the
     * chart grows a row per method, so a study with twenty methods and long names stays as readable as one
     * with three.
     */
    static XYChart bars(String title, String valueLabel, List<String> names, double[] values, double[] low,
            double[] high) {
        int n = names.size();
        XYChart chart = new XYChartBuilder().width(720).height(110 + 26 * n).title(title).xAxisTitle(valueLabel)
                .build();
        style(chart);
        XYStyler st = chart.getStyler();
        st.setLegendVisible(false);
        // both axes drawn by hand: XChart labels no tick of an axis whose formatter blanks some of them, and the
        // names need the part of the axis left of -1
        st.setAxisTicksVisible(false);
        st.setPlotGridLinesVisible(false);
        st.setXAxisMin(NAMES_FROM).setXAxisMax(1.05).setYAxisMin(-1.2).setYAxisMax(n - 0.3);
        for (double x = -1; x <= 1; x += 0.5) {
            XYSeries grid = chart.addSeries("x=" + x, new double[] {x, x}, new double[] {-0.6, n - 0.4});
            grid.setMarker(SeriesMarkers.NONE);
            grid.setLineColor(x == 0 ? Color.GRAY : Color.LIGHT_GRAY);
            grid.setLineStyle(new BasicStroke(x == 0 ? 1f : 0.5f));
            chart.addAnnotation(new AnnotationText(String.format(Locale.ROOT, "%.1f", x), x, -0.9, false));
        }
        for (int i = 0; i < n; i++) {
            double[] row = {n - 1 - i, n - 1 - i};
            if (!Double.isNaN(values[i])) {
                XYSeries bar = chart.addSeries(names.get(i), new double[] {0, values[i]}, row);
                bar.setMarker(SeriesMarkers.NONE);
                // butt caps: the default square caps would draw the bar half its width past 0 and the value
                bar.setLineStyle(new BasicStroke(14f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
                bar.setLineColor(BAR);
            }
            if (!Double.isNaN(low[i])) {
                XYSeries interval = chart.addSeries(names.get(i) + " 95%", new double[] {low[i], high[i]}, row);
                interval.setMarker(SeriesMarkers.DIAMOND);
                interval.setMarkerColor(Color.BLACK);
                interval.setLineColor(Color.BLACK);
                interval.setLineStyle(new BasicStroke(2f));
            }
            chart.addAnnotation(new AnnotationText(names.get(i), (NAMES_FROM - 1) / 2, row[0], false));
        }
        return chart;
    }

    private static void style(XYChart chart) {
        Styler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.InsideSE);
        st.setLegendBackgroundColor(new Color(255, 255, 255, 200));
        chart.getStyler().setPlotGridLinesStroke(new BasicStroke(0.5f));
    }

    static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
