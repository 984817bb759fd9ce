package org.proxynas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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

    /**
     * One bar per name, from 0 to its value, with a black line over its interval (NaN values and intervals
     * are left out): τ per selection method. The y axis spans [-1, 1], the range of a correlation, so charts
     * of two studies compare at a glance; the names are written below -1, inside the plot (XChart drops every
     * x tick label when a formatter blanks the ticks between bars).
     */
    static XYChart bars(String title, String yLabel, List<String> names, double[] values, double[] low,
            double[] high) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(title).yAxisTitle(yLabel).build();
        style(chart);
        XYStyler st = chart.getStyler();
        st.setLegendVisible(false);
        st.setXAxisTicksVisible(false);
        st.setPlotGridVerticalLinesVisible(false);
        st.setXAxisMin(-0.5).setXAxisMax(names.size() - 0.5).setYAxisMin(-1.2).setYAxisMax(1.0);
        for (int i = 0; i < names.size(); i++) {
            double[] at = {i, i};
            if (!Double.isNaN(values[i])) {
                XYSeries bar = chart.addSeries(names.get(i), at, new double[] {0, values[i]});
                bar.setMarker(SeriesMarkers.NONE);
                // butt caps: the default square caps would draw the bar half its width past 0 and the value
                bar.setLineStyle(new BasicStroke(48f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
                bar.setLineColor(BAR);
            }
            if (!Double.isNaN(low[i])) {
                XYSeries interval = chart.addSeries(names.get(i) + " 95%", at, new double[] {low[i], high[i]});
                interval.setMarker(SeriesMarkers.DIAMOND);
                interval.setMarkerColor(Color.BLACK);
                interval.setLineColor(Color.BLACK);
                interval.setLineStyle(new BasicStroke(2f));
            }
            chart.addAnnotation(new AnnotationText(names.get(i), i, -1.1, false));
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
