package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsAndNormalizationTest {
    private final InMemoryImageDataset data = Fixtures.random("d", 11, 3, 4, 4, 5, 9);

    @TempDir
    Path cache;

    @Test
    void splitIsFirstPartAndRestInGivenOrder() {
        ImageDataset view = data.subset(new int[] {10, 3, 4, 0, 1, 2, 9});
        ImageDataset[] halves = Splits.split(view, 0.5);
        assertThat(halves[0].size()).isEqualTo(3);
        assertThat(halves[1].size()).isEqualTo(4);
        assertThat(halves[0].label(0)).isEqualTo(data.label(10));
        assertThat(halves[1].label(0)).isEqualTo(data.label(0));
        assertThatThrownBy(() -> Splits.split(view, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Splits.split(data.subset(new int[] {1}), 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void normalizationIsPerChannelStatisticsOfPixelsOver255() {
        byte[] pixels = new byte[2 * 2 * 1 * 2];
        // channel 0: 0, 255 | 0, 255 ; channel 1: constant 51.
        pixels[1] = (byte) 255;
        pixels[2] = 51;
        pixels[3] = 51;
        pixels[5] = (byte) 255;
        pixels[6] = 51;
        pixels[7] = 51;
        InMemoryImageDataset d = new InMemoryImageDataset("n", Split.TRAIN, 2, 1, 2, java.util.List.of("a"), pixels,
                new int[] {0, 0});
        Normalization n = Normalization.compute(d);
        assertThat(n.mean()).containsExactly(0.5f, 0.2f);
        assertThat(n.std()).containsExactly(0.5f, 1f);
    }

    @Test
    void cacheFileIsKeyedByChecksumAndReused() throws IOException {
        Path file = cache.resolve("normalization-" + Datasets.checksum(data) + ".json");
        Normalization first = Normalization.of(data, cache);
        assertThat(file).exists();
        assertThat(Files.readString(file)).contains("\"provenance\"");
        assertThat(Normalization.of(data, cache)).isEqualTo(first);
        Files.writeString(file, "{ broken");
        assertThat(Normalization.of(data, cache)).as("a damaged entry is recomputed").isEqualTo(first);
        assertThat(Files.readString(file)).contains("\"sha256\"");
    }

    @Test
    void checksumCoversPixelsAndLabels() {
        String base = Datasets.checksum(data);
        byte[] pixels = data.pixels().clone();
        pixels[5]++;
        int[] labels = data.labelArray().clone();
        labels[2] = (labels[2] + 1) % 5;
        assertThat(Datasets.checksum(Fixtures.random("other name", 11, 3, 4, 4, 5, 9))).isEqualTo(base);
        assertThat(Datasets.checksum(new InMemoryImageDataset("d", Split.TRAIN, 3, 4, 4, data.classNames(), pixels,
                data.labelArray()))).isNotEqualTo(base);
        assertThat(Datasets.checksum(new InMemoryImageDataset("d", Split.TRAIN, 3, 4, 4, data.classNames(),
                data.pixels(), labels))).isNotEqualTo(base);
    }
}
