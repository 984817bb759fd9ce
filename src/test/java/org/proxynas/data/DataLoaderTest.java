package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    private static NDManager manager;
    private final InMemoryImageDataset data = Fixtures.random("cifar10:x", 50, 3, 8, 8, 10, 3);

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** All batches of one epoch, as flat pixel arrays and the index order. */
    private record Epoch(List<float[]> pixels, int[] indices) {}

    private static Epoch run(DataLoader loader, int epoch) {
        List<float[]> pixels = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (Iterator<DataLoader.Batch> it = loader.epoch(manager, epoch); it.hasNext(); ) {
            try (DataLoader.Batch b = it.next()) {
                pixels.add(b.images().toFloatArray());
                assertThat(b.labels().toLongArray()).containsExactly(
                        Arrays.stream(b.indices()).mapToLong(loader.dataset()::label).toArray());
                Arrays.stream(b.indices()).forEach(indices::add);
            }
        }
        return new Epoch(pixels, indices.stream().mapToInt(Integer::intValue).toArray());
    }

    private DataLoader.Builder shuffled(long seed) {
        return DataLoader.builder().setDataset(data).setBatchSize(16).optShuffle(true).optSeed(seed)
                .optAugmentation(new Augmentation(2, true, 3));
    }

    @Test
    void sameSeedSameBatchesOtherSeedOrEpochOtherOrder() {
        Epoch a = run(shuffled(7).build(), 1);
        Epoch b = run(shuffled(7).build(), 1);
        assertThat(a.indices()).containsExactly(b.indices());
        for (int i = 0; i < a.pixels().size(); i++) {
            assertThat(a.pixels().get(i)).containsExactly(b.pixels().get(i));
        }
        assertThat(run(shuffled(8).build(), 1).indices()).isNotEqualTo(a.indices());
        assertThat(run(shuffled(7).build(), 2).indices()).isNotEqualTo(a.indices());
        assertThat(a.indices()).as("an epoch is a permutation").containsExactlyInAnyOrder(Splits.range(0, 50));
    }

    @Test
    void batchesHaveTheDocumentedShapesTypesAndCounts() {
        DataLoader loader = shuffled(1).build();
        assertThat(loader.batchesPerEpoch()).isEqualTo(4);
        assertThat(shuffled(1).optDropLast(true).build().batchesPerEpoch()).isEqualTo(3);
        Iterator<DataLoader.Batch> it = loader.epoch(manager, 0);
        try (DataLoader.Batch b = it.next()) {
            assertThat(b.images().getShape()).isEqualTo(new Shape(16, 3, 8, 8));
            assertThat(b.images().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(b.labels().getShape()).isEqualTo(new Shape(16));
            assertThat(b.labels().getDataType()).isEqualTo(DataType.INT64);
        }
        int last = 0;
        while (it.hasNext()) {
            try (DataLoader.Batch b = it.next()) {
                last = b.size();
            }
        }
        assertThat(last).isEqualTo(2);
    }

    @Test
    void withoutAugmentationPixelsArePixelOver255InDatasetOrder() {
        DataLoader loader = DataLoader.builder().setDataset(data).setBatchSize(50).build();
        Epoch e = run(loader, 3);
        assertThat(e.indices()).containsExactly(Splits.range(0, 50));
        float[] expected = new float[data.pixels().length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (data.pixels()[i] & 0xFF) / 255f;
        }
        assertThat(e.pixels().get(0)).containsExactly(expected);
    }

    @Test
    void cropMovesContentAndFlipMirrorsIt() {
        // One bright pixel per image at (row 3, col 1) of channel 0.
        byte[] pixels = new byte[4 * 8 * 8];
        pixels[3 * 8 + 1] = (byte) 255;
        InMemoryImageDataset dot = new InMemoryImageDataset("dot", Split.TRAIN, 1, 8, 8, List.of("a"),
                Arrays.copyOf(pixels, 8 * 8), new int[] {0});
        DataLoader flipOnly = DataLoader.builder().setDataset(dot).setBatchSize(1)
                .optAugmentation(new Augmentation(0, true, 0)).build();
        boolean sawFlip = false;
        boolean sawPlain = false;
        for (int epoch = 0; epoch < 20; epoch++) {
            float[] img = run(flipOnly, epoch).pixels().get(0);
            sawPlain |= img[3 * 8 + 1] == 1f;
            sawFlip |= img[3 * 8 + 6] == 1f;
            assertThat(sum(img)).isEqualTo(1f);
        }
        assertThat(sawFlip).isTrue();
        assertThat(sawPlain).isTrue();

        DataLoader cropOnly = DataLoader.builder().setDataset(dot).setBatchSize(1)
                .optAugmentation(new Augmentation(2, false, 0)).build();
        boolean moved = false;
        for (int epoch = 0; epoch < 20; epoch++) {
            float[] img = run(cropOnly, epoch).pixels().get(0);
            moved |= img[3 * 8 + 1] != 1f;
            assertThat(sum(img)).isBetween(0f, 1f);
        }
        assertThat(moved).isTrue();
    }

    @Test
    void cutoutZeroesOneSquareInNormalizedSpace() {
        byte[] pixels = new byte[3 * 16 * 16];
        Arrays.fill(pixels, (byte) 200);
        InMemoryImageDataset flat = new InMemoryImageDataset("flat", Split.TRAIN, 3, 16, 16, List.of("a"), pixels,
                new int[] {0});
        DataLoader loader = DataLoader.builder().setDataset(flat).setBatchSize(1)
                .optAugmentation(Augmentation.NONE.withCutout(4)).build();
        for (int epoch = 0; epoch < 10; epoch++) {
            float[] img = run(loader, epoch).pixels().get(0);
            int minY = 16;
            int maxY = -1;
            int minX = 16;
            int maxX = -1;
            int zeros = 0;
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    if (img[y * 16 + x] == 0f) {
                        zeros++;
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        assertThat(img[256 + y * 16 + x]).isZero();
                        assertThat(img[512 + y * 16 + x]).isZero();
                    }
                }
            }
            assertThat(zeros).isPositive();
            assertThat(zeros).as("the zeros form one rectangle").isEqualTo((maxY - minY + 1) * (maxX - minX + 1));
            assertThat(maxY - minY + 1).isLessThanOrEqualTo(4);
            assertThat(maxX - minX + 1).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void normalizationGivesZeroMeanUnitStd() {
        Normalization norm = Normalization.compute(data);
        DataLoader loader = DataLoader.builder().setDataset(data).setBatchSize(50).optNormalization(norm).build();
        float[] x = run(loader, 0).pixels().get(0);
        int plane = 64;
        for (int c = 0; c < 3; c++) {
            double s = 0;
            double sq = 0;
            for (int i = 0; i < 50; i++) {
                for (int p = 0; p < plane; p++) {
                    double v = x[i * 192 + c * plane + p];
                    s += v;
                    sq += v * v;
                }
            }
            double n = 50.0 * plane;
            assertThat(s / n).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(sq / n).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void aConsumerSlowerThanThePrefetchSeesTheSameBatches() throws InterruptedException {
        DataLoader loader = DataLoader.builder().setDataset(data).setBatchSize(8).optShuffle(true).optSeed(5)
                .optAugmentation(new Augmentation(2, true, 4)).build();
        Epoch fast = run(loader, 1);
        List<float[]> slow = new ArrayList<>();
        for (Iterator<DataLoader.Batch> it = loader.epoch(manager, 1); it.hasNext(); ) {
            Thread.sleep(20);
            try (DataLoader.Batch b = it.next()) {
                slow.add(b.images().toFloatArray());
            }
        }
        assertThat(slow).hasSameSizeAs(fast.pixels());
        for (int i = 0; i < slow.size(); i++) {
            assertThat(slow.get(i)).containsExactly(fast.pixels().get(i));
        }
    }

    @Test
    void aBatchThatCannotBeReadFailsTheStepThatAsksForIt() {
        int broken = 20;
        ImageDataset failing = new ImageDataset() {
            public String name() {
                return data.name();
            }

            public Split split() {
                return data.split();
            }

            public int size() {
                return data.size();
            }

            public int channels() {
                return data.channels();
            }

            public int height() {
                return data.height();
            }

            public int width() {
                return data.width();
            }

            public List<String> classNames() {
                return data.classNames();
            }

            public int label(int index) {
                return data.label(index);
            }

            public void readImage(int index, byte[] dst, int offset) {
                if (index == broken) {
                    throw new IllegalArgumentException("image " + index + " is corrupt");
                }
                data.readImage(index, dst, offset);
            }
        };
        Iterator<DataLoader.Batch> it = DataLoader.builder().setDataset(failing).setBatchSize(8).build()
                .epoch(manager, 0);
        for (int b = 0; b < broken / 8; b++) {
            it.next().close();
        }
        assertThatThrownBy(it::next).isInstanceOf(IllegalArgumentException.class).hasMessage("image 20 is corrupt");
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> DataLoader.builder().setBatchSize(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setDataset");
        assertThatThrownBy(() -> DataLoader.builder().setDataset(data).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size");
        assertThatThrownBy(() -> DataLoader.builder().setDataset(data).setBatchSize(4)
                .optNormalization(Normalization.none(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 channels");
        assertThatThrownBy(() -> new Augmentation(-1, false, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
