package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.learn.AdamUpdater;
import org.proxynas.learn.Initialization;
import org.proxynas.learn.SgdUpdater;
import org.proxynas.nas.space.Primitives;
import org.proxynas.nas.space.SearchNetwork;

/** Tiny searches for tests: a few Fashion-MNIST images, a 3-cell supernet of width 4 with 2 nodes per cell. */
final class SearchFixtures {
    private SearchFixtures() {}

    /** A proxy file holding {@code indices}, as {@code proxynas select} writes it. */
    static Path subsetFile(Path dir, int... indices) throws IOException {
        String list = IntStream.of(indices).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Path file = dir.resolve("proxy-" + indices.length + "-" + Integer.toHexString(list.hashCode()) + ".json");
        Files.writeString(file, "{\"method\":\"test\",\"indices\":[" + list + "]}");
        return file;
    }

    /** Every 15th training image, {@code n} of them (at most 133 of the tests' 2,000): all classes appear. */
    static int[] spread(int n) {
        return IntStream.range(0, n).map(i -> i * 15 + 7).toArray();
    }

    static SearchConfig.Builder tiny(String algorithm, Path subset, Path out) {
        return SearchConfig.builder()
                .setDataset("fashion-mnist")
                .setAlgorithm(algorithm)
                .setOutDir(out)
                .optSubsetFile(subset)
                .optEpochs(1)
                .optLayers(3)
                .optChannels(4)
                .optNodes(2)
                .optMultiplier(2)
                .optBatchSize(32)
                .optSeed(3);
    }

    /** The tiny searches' supernet: C=4, 3 cells of 2 nodes, 10 classes. */
    static SearchNetwork tinyNetwork() {
        return SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(4).optLayers(3).optNodes(2)
                .optMultiplier(2).build();
    }

    /** {@link #tinyNetwork()} for 1×8×8 inputs with DARTS' optimizers. */
    static SearchModel tinyModel(NDManager root, long seed) {
        return tinyModel(root, tinyNetwork(), seed);
    }

    static SearchModel tinyModel(NDManager root, SearchNetwork network, long seed) {
        int ops = Primitives.NAMES.size();
        Shape weights = new Shape(network.edgesPerCell(), ops);
        Initialization.initialize(network, root, DataType.FLOAT32, new Shape(1, 1, 8, 8), weights, weights);
        ArchitectureParameters arch = ArchitectureParameters.initialize(root, 2, ops, false, seed);
        return new SearchModel(root, network, arch, SgdUpdater.builder().optMomentum(0.9).optWeightDecay(3e-4).build(),
                AdamUpdater.builder().optBetas(0.5, 0.999).optWeightDecay(1e-3).build(), 3e-4, 5);
    }

    /** {@code n} Gaussian 1×8×8 images with labels in 0..9, in a manager of their own (closed with the batch). */
    static Batch randomBatch(NDManager root, int n, long seed) {
        NDManager m = root.newSubManager();
        Random rng = new Random(seed);
        float[] pixels = new float[n * 64];
        long[] labels = new long[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new Batch(m.create(pixels, new Shape(n, 1, 8, 8)), m.create(labels), IntStream.range(0, n).toArray());
    }

    /** Copies of {@code tensors}, owned by {@code m}. */
    static List<NDArray> copies(List<NDArray> tensors, NDManager m) {
        List<NDArray> out = new ArrayList<>();
        for (NDArray t : tensors) {
            NDArray c = t.duplicate();
            c.attach(m);
            out.add(c);
        }
        return out;
    }

    /** Puts {@link #copies} back, in place. */
    static void restore(List<NDArray> tensors, List<NDArray> saved) {
        for (int i = 0; i < tensors.size(); i++) {
            tensors.get(i).subi(tensors.get(i)).addi(saved.get(i));
        }
    }
}
