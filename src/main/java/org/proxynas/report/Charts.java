package org.proxynas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's XChart figures, rendered to PNG bytes so the HTML can embed them. */
final class Charts {
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

    /** One point per run: search seconds against test accuracy, a series per method. */
    static XYChart scatter(String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y());
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
