package org.proxynas.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Provenance;
import org.proxynas.data.DatasetOptions;
import org.proxynas.score.ScorerRegime;

class SelectionPlotTest {
    @TempDir
    Path dir;

    @Test
    void bothPanelsForFewAndManyClasses() throws IOException {
        for (int classes : new int[] {5, 200}) {
            SelectionInput in = SyntheticScores.input(2000, classes, 2, classes);
            SelectionJob.LoadedScores loaded = new SelectionJob.LoadedScores(in, dir.resolve("scores.csv"), "0",
                    Optional.empty(), Optional.empty(), List.of(), DatasetOptions.defaults(),
                    new ScorerRegime(1.0, 0));
            ProxySet set = SelectionJob.select(loaded, new EntropyHistogramSelector(0.5, BinProbability.P1), 200, 1, 0.5,
                    Provenance.capture("none", List.of("test")));
            Path png = dir.resolve("plot-" + classes + ".png");
            SelectionPlot.write(png, set, List.of("a", "b", "c", "d", "e"));
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(1800);
            assertThat(image.getHeight()).isEqualTo(560);
            // Both halves hold a drawn chart, not just background.
            assertThat(distinctColours(image, 0, 900)).isGreaterThan(3);
            assertThat(distinctColours(image, 900, 1800)).isGreaterThan(3);
        }
    }

    private static long distinctColours(BufferedImage image, int from, int to) {
        return IntStream.range(from, to).flatMap(x -> IntStream.range(0, 560)
                .map(y -> image.getRGB(x, y))).distinct().count();
    }
}
