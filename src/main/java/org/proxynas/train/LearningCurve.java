package org.proxynas.train;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.proxynas.common.AtomicFiles;
import org.proxynas.learn.EpochMetrics;

/** {@code learning-curve.png}: loss (left) and accuracy (right) per epoch, training and test. */
public final class LearningCurve {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private LearningCurve() {}

    public static void write(Path png, String title, List<EpochMetrics> history) throws IOException {
        List<Double> epochs = new ArrayList<>();
        List<Double> trainLoss = new ArrayList<>();
        List<Double> trainAcc = new ArrayList<>();
        List<Double> testLoss = new ArrayList<>();
        List<Double> testAcc = new ArrayList<>();
        for (EpochMetrics m : history) {
            epochs.add((double) m.epoch());
            trainLoss.add(m.trainLoss());
            trainAcc.add(m.trainAccuracy());
            if (m.testAccuracy() != null) {
                testLoss.add(m.testLoss());
                testAcc.add(m.testAccuracy());
            }
        }
        XYChart loss = chart(title + ": loss", "cross-entropy");
        loss.getStyler().setYAxisMin(0.0);
        add(loss, "train", epochs, trainLoss);
        XYChart acc = chart(title + ": accuracy", "accuracy");
        acc.getStyler().setYAxisMin(0.0);
        acc.getStyler().setYAxisMax(1.0);
        acc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        add(acc, "train", epochs, trainAcc);
        if (testAcc.size() == epochs.size()) {
            add(loss, "test", epochs, testLoss);
            add(acc, "test", epochs, testAcc);
        }
        BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
            g.drawImage(BitmapEncoder.getBufferedImage(acc), WIDTH, 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        AtomicFiles.write(png, bytes.toByteArray());
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    private static void add(XYChart chart, String name, List<Double> x, List<Double> y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(x.size() <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
}
