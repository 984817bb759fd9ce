package org.proxynas.select;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;
import org.proxynas.score.ScorerRegime;

/**
 * The content of {@code proxy.json}: which training examples form the proxy set, how they were chosen, from
 * which scores and dataset, and how the set compares with the full one. Later stages read {@link #indices}
 * (sorted, distinct, into the training split of {@link #dataset}).
 *
 * @param classShortfall the classes the set misses or under-represents, in words, or null when it keeps
 *     every class ({@link SelectionStats#classShortfall})
 * @param scorer whether the scorer whose outputs chose the set had fit its data ({@link ScorerRegime}); null for a
 *     method that reads no scores, and in sets selected before it was recorded
 */
public record ProxySet(
        String method,
        Map<String, Object> parameters,
        long seed,
        String dataset,
        String datasetSha256,
        String scores,
        String scoresSha256,
        int poolSize,
        int size,
        int[] indices,
        String indicesSha256,
        double classBalance,
        double tailBinsCovered,
        String classShortfall,
        ScorerRegime scorer,
        SelectionStats stats,
        double wallSeconds,
        Provenance provenance) {

    public ProxySet {
        parameters = new TreeMap<>(parameters);
        indices = indices.clone();
        if (indices.length != size) {
            throw new UserError("proxy set says size " + size + " but lists " + indices.length
                    + " indices");
        }
        for (int j = 0; j < indices.length; j++) {
            if (indices[j] < 0 || indices[j] >= poolSize || (j > 0 && indices[j] <= indices[j - 1])) {
                throw new UserError("proxy set index " + indices[j] + " at position " + j
                        + " is not ascending, distinct and within 0.." + (poolSize - 1));
            }
        }
    }

    /** Reads a {@code proxy.json}; a file whose indices are not ascending, distinct and in range is rejected. */
    public static ProxySet read(Path file) throws IOException {
        return Json.read(file, ProxySet.class);
    }

    /** The one-line warning for a set chosen by a scorer outside the paper's regime, or empty. */
    public Optional<String> scorerWarning() {
        return scorer == null ? Optional.empty() : scorer.warning();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySet p && method.equals(p.method) && seed == p.seed && poolSize == p.poolSize
                && Arrays.equals(indices, p.indices) && parameters.equals(p.parameters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "ProxySet[" + method + " " + parameters + " seed " + seed + ", " + size + " of " + poolSize + "]";
    }
}
