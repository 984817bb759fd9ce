package org.proxynas.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.proxynas.common.Json;

/**
 * The training examples named by a selection file ({@code proxy.json}): its {@code "indices"} array, positions
 * in the training split, checked against that split's size (and against {@code "poolSize"} when present, so
 * a selection made on another dataset is refused).
 */
public final class TrainSubset {
    private TrainSubset() {}

    public static int[] read(Path file, int trainSize) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode indices = root == null ? null : root.get("indices");
        if (indices == null || !indices.isArray() || indices.isEmpty()) {
            throw new IOException(file + ": expected a selection with a non-empty \"indices\" array");
        }
        JsonNode pool = root.get("poolSize");
        if (pool != null && pool.isInt() && pool.asInt() != trainSize) {
            throw new IOException(file + ": selected from " + pool.asInt() + " training examples, the dataset has "
                    + trainSize);
        }
        int[] out = new int[indices.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = indices.get(i);
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() >= trainSize) {
                throw new IOException(file + ": indices[" + i + "] = " + v + ", expected an integer in 0.."
                        + (trainSize - 1));
            }
            out[i] = v.asInt();
        }
        int[] sorted = out.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IOException(file + ": index " + sorted[i] + " appears twice");
            }
        }
        return out;
    }
}
