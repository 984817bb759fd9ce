package org.proxynas.nas.space;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.proxynas.common.UserError;

/**
 * Architectures drawn from the DARTS space, uniformly or with a bias in the operations ({@link OperationBias}),
 * for studies that train a fixed sample of them (the ranking study). A cell is valid when each of its
 * {@value #NODES} nodes reads two distinct earlier states, each through one of the operations other than
 * {@code none}; every node is concatenated into the output, as DARTS' cells do. The normal and the reduction
 * cell are drawn independently.
 *
 * <p>A node's two edges feed a sum, so their order does not matter: genotypes here list them by ascending
 * input ({@link #canonical}), which makes one architecture one value, and "distinct" mean "not equal".
 */
public final class GenotypeSampler {
    public static final int NODES = 4;
    private static final List<String> OPERATIONS =
            Primitives.NAMES.stream().filter(op -> !op.equals(Primitives.NONE)).toList();
    private static final List<Integer> CONCAT = IntStream.range(2, NODES + 2).boxed().toList();

    private GenotypeSampler() {}

    /**
     * {@code count} distinct genotypes, uniform over valid cell pairs: the same list for the same seed, and a
     * longer list for the same seed starts with the shorter one (duplicates are drawn again, which keeps the
     * distribution uniform over the remaining architectures).
     */
    public static List<Genotype> sample(int count, long seed) {
        return sample(count, seed, OperationBias.UNIFORM);
    }

    /**
     * {@code count} distinct genotypes whose edges draw their operations as {@code bias} says (inputs are drawn
     * as in the uniform sample); same properties as {@link #sample(int, long)}, which is this with
     * {@link OperationBias#UNIFORM}.
     */
    public static List<Genotype> sample(int count, long seed, OperationBias bias) {
        if (count < 0) {
            throw new UserError("architectures: the sample size must be >= 0, found " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Set<Genotype> drawn = new LinkedHashSet<>();
        while (drawn.size() < count) {
            drawn.add(new Genotype(cell(random, bias), CONCAT, cell(random, bias), CONCAT));
        }
        return List.copyOf(drawn);
    }

    /** Node i reads an unordered pair of distinct states among 0..i+1, uniformly, each through an op drawn by bias. */
    private static List<Genotype.Edge> cell(SplittableRandom random, OperationBias bias) {
        List<Genotype.Edge> edges = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            int states = node + 2;
            int first = random.nextInt(states);
            int second = random.nextInt(states - 1);
            if (second >= first) {
                second++;
            }
            edges.add(new Genotype.Edge(operation(random, bias), Math.min(first, second)));
            edges.add(new Genotype.Edge(operation(random, bias), Math.max(first, second)));
        }
        return edges;
    }

    /** Uniform: one draw among all operations, as before biases existed, so earlier seeds give the same cells. */
    private static String operation(SplittableRandom random, OperationBias bias) {
        if (bias.isUniform()) {
            return OPERATIONS.get(random.nextInt(OPERATIONS.size()));
        }
        List<String> group = random.nextDouble() < bias.parameterFreeShare()
                ? OperationBias.PARAMETER_FREE_OPERATIONS : OperationBias.CONVOLUTIONS;
        return group.get(random.nextInt(group.size()));
    }

    /**
     * {@code g} with each node's two edges ordered by input, then operation: two genotypes that differ only in
     * that order have the same canonical form.
     */
    public static Genotype canonical(Genotype g) {
        return new Genotype(canonical(g.normal()), g.normalConcat(), canonical(g.reduce()), g.reduceConcat());
    }

    private static List<Genotype.Edge> canonical(List<Genotype.Edge> edges) {
        Comparator<Genotype.Edge> order =
                Comparator.comparingInt(Genotype.Edge::input).thenComparing(Genotype.Edge::op);
        List<Genotype.Edge> out = new ArrayList<>();
        for (int e = 0; e < edges.size(); e += 2) {
            out.addAll(edges.subList(e, e + 2).stream().sorted(order).toList());
        }
        return out;
    }
}
