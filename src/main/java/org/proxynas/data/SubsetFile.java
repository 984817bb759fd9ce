package org.proxynas.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;

/**
 * Reads the example indices of a subset of a training split: a JSON object with an {@code indices} array, as
 * {@code proxynas select} writes ({@code proxy.json}). Search and training both read subsets through here, so
 * a file is accepted or refused the same way, with the same message, by every command.
 */
public final class SubsetFile {
    private SubsetFile() {}

    /**
     * The indices in file order, checked to be non-empty, distinct and within {@code [0, datasetSize)}; a file
     * whose {@code poolSize} (the number of examples it was selected from) exceeds {@code datasetSize} was made
     * for another dataset and is refused. A smaller pool is fine: selections are often made among the first
     * N examples ({@code --limit}). Any violation is an {@link IllegalArgumentException} naming the file and the
     * first bad entry.
     */
    public static int[] read(Path file, int datasetSize) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw UserError.noSuchFile(file.toString());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new UserError(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode array = root == null ? null : root.get("indices");
        if (array == null || !array.isArray()) {
            throw new UserError(file + ": expected a JSON object with an \"indices\" array");
        }
        if (array.isEmpty()) {
            throw new UserError(file + ": \"indices\" is empty, expected at least one index");
        }
        JsonNode pool = root.get("poolSize");
        if (pool != null && pool.canConvertToInt() && pool.intValue() > datasetSize) {
            throw new UserError(file + ": selected from " + pool.intValue()
                    + " training examples, but the training split has only " + datasetSize);
        }
        int[] out = new int[array.size()];
        BitSet seen = new BitSet(datasetSize);
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new UserError(file + ": indices[" + i + "] is " + n + ", expected an integer");
            }
            int idx = n.intValue();
            if (idx < 0 || idx >= datasetSize) {
                throw new UserError(file + ": indices[" + i + "] = " + idx + " is outside 0.."
                        + (datasetSize - 1) + " (the training split's size)");
            }
            if (seen.get(idx)) {
                throw new UserError(file + ": indices[" + i + "] = " + idx
                        + " is a duplicate, expected distinct indices");
            }
            seen.set(idx);
            out[i] = idx;
        }
        return out;
    }

    /** What {@link #write} writes: the subset file format ({@code proxynas select} adds its statistics). */
    record Written(String method, int size, int poolSize, int[] indices, Provenance provenance) {}

    /**
     * Writes a subset file of {@code indices} chosen by {@code method} among the first {@code poolSize}
     * training examples, atomically; {@link #read} takes it back.
     */
    public static void write(Path file, String method, int[] indices, int poolSize, Provenance provenance)
            throws IOException {
        Json.write(file, new Written(method, indices.length, poolSize, indices, provenance));
    }

    /** The first {@code n} examples, as a subset file: experiments pass "the first N" to stages this way. */
    public static void writeFirst(Path file, String method, int n, Provenance provenance) throws IOException {
        write(file, method, IntStream.range(0, n).toArray(), n, provenance);
    }
}
