package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
