package org.proxynas.select;

import java.util.Map;
import java.util.Optional;
import org.proxynas.common.UserError;

/**
 * A way of choosing a proxy subset of a training set from its per-example scores. Implementations return
 * exactly {@code size} distinct indices and are deterministic for a seed; those that draw at random give
 * different subsets for different seeds.
 */
public interface Selector {

    /** The method's name on the command line, e.g. {@code proxy}. */
    String name();

    /** Chooses {@code size} distinct indices into {@code in}, in any order. Called with a valid size. */
    int[] choose(SelectionInput in, int size, long seed);

    /** The settings that shape the result (bin width, ...), recorded next to the indices. */
    default Map<String, Object> parameters() {
        return Map.of();
    }

    /** Whether the seed changes the result; deterministic rankings ignore it. */
    default boolean usesSeed() {
        return true;
    }

    /**
     * Whether the choice depends on the scorer's outputs (entropies, forgetting, features); only then does the
     * scorer's regime ({@link org.proxynas.score.ScorerRegime}) matter to the set.
     */
    default boolean usesScores() {
        return true;
    }

    /** Why this method cannot run on {@code in} (e.g. no embeddings), or empty when it can. */
    default Optional<String> missingInput(SelectionInput in) {
        return Optional.empty();
    }

    /** Checks the request, chooses, and packages the sorted indices with what produced them. */
    default SelectorChoice select(SelectionInput in, int size, long seed) {
        Optional<String> missing = missingInput(in);
        if (missing.isPresent()) {
            throw new UserError("method " + name() + " " + missing.get());
        }
        if (size < 1 || size > in.size()) {
            throw new UserError("selection size " + size + " must be between 1 and the "
                    + in.size() + " scored examples");
        }
        return new SelectorChoice(name(), parameters(), seed, choose(in, size, seed), in.size());
    }
}
