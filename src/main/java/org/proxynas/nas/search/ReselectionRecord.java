package org.proxynas.nas.search;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One re-selection of an adaptive search's proxy, logged with the epoch it follows ({@link EpochRecord#reselection}).
 * Everything but {@code seconds} is a pure function of (seed, epoch, network state), so a resumed search logs the
 * same record.
 *
 * @param method the rule that drew the new proxy: {@code proxy} (the histogram rule on the network's entropies)
 *     or {@code random}
 * @param poolSize the examples scored (the whole training split, or {@code poolFraction} of it)
 * @param size the new proxy's size (the first proxy's)
 * @param classCounts the new proxy's examples per class
 * @param overlap the share of the new proxy that was in the previous one
 * @param unseen the share of the new proxy that no earlier proxy of this search held
 * @param seen the share of the training split some proxy of this search has held so far, this one included
 * @param meanPoolEntropy the network's mean prediction entropy (nats) over the pool; absent for {@code random}
 * @param meanSelectedEntropy the same over the new proxy; absent for {@code random}
 * @param seconds the re-selection's wall time (scoring and drawing)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReselectionRecord(String method, int poolSize, int size, int[] classCounts, double overlap,
        double unseen, double seen, Double meanPoolEntropy, Double meanSelectedEntropy, double seconds) {}
