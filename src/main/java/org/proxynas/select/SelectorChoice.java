package org.proxynas.select;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.proxynas.common.Checksums;
import org.proxynas.common.UserError;

/**
 * A chosen proxy set: the method and its settings, the seed, and the indices into the scored training set
 * ({@code poolSize} examples), sorted ascending and distinct.
 */
public record SelectorChoice(String method, Map<String, Object> parameters, long seed, int[] indices,
                              int poolSize) {

    public SelectorChoice {
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        indices = indices.clone();
        Arrays.sort(indices);
        for (int j = 0; j < indices.length; j++) {
            if (indices[j] < 0 || indices[j] >= poolSize) {
                throw new UserError(method + " chose index " + indices[j] + " outside 0.."
                        + (poolSize - 1));
            }
            if (j > 0 && indices[j] == indices[j - 1]) {
                throw new UserError(method + " chose index " + indices[j] + " twice");
            }
        }
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    public int size() {
        return indices.length;
    }

    /** SHA-256 of the sorted indices as int32 big endian: two proxy sets are equal iff these are. */
    public String indicesSha256() {
        ByteBuffer buf = ByteBuffer.allocate(4 * indices.length);
        buf.asIntBuffer().put(indices);
        return Checksums.sha256(buf.array());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectorChoice r && method.equals(r.method) && parameters.equals(r.parameters)
                && seed == r.seed && poolSize == r.poolSize && Arrays.equals(indices, r.indices);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indices) * 31 + method.hashCode();
    }

    @Override
    public String toString() {
        return "SelectorChoice[" + method + " " + parameters + " seed " + seed + ", " + indices.length + " of "
                + poolSize + "]";
    }
}
