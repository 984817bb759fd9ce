package org.proxynas.nas.space;

import ai.djl.util.PairList;
import java.util.List;
import java.util.stream.Stream;
import org.proxynas.common.UserError;

/**
 * Which operations each supernet edge evaluates in one forward pass, per cell type: all of them (the DARTS
 * mixture), a single one (GDAS' sampled operation, an edge SGAS has decided) or none (an edge SGAS has
 * pruned, which then adds nothing to its node). A single operation k is still multiplied by its mixing
 * weight w[k], so the gradient reaches α through it (GDAS' straight-through estimator) and a weight of 1
 * leaves it as it is (SGAS). Evaluating one operation instead of eight is where GDAS' and SGAS' speed
 * comes from. The supernet takes it as the forward parameter {@link #PARAMETER}.
 *
 * @param normal one entry per edge of the normal cells, in DARTS' edge order: {@link #ALL}, {@link #PRUNED}
 *     or the operation's column in {@link Primitives#NAMES}
 * @param reduce the same for the reduction cells
 */
public record OpSelection(List<Integer> normal, List<Integer> reduce) {
    /** The edge mixes every operation. */
    public static final int ALL = -1;
    /** The edge is gone: it evaluates nothing and adds nothing to its node. */
    public static final int PRUNED = -2;
    /** The key under which {@link SearchNetwork} finds the selection among its forward parameters. */
    static final String PARAMETER = "proxynas.opSelection";

    public OpSelection {
        normal = List.copyOf(normal);
        reduce = List.copyOf(reduce);
        if (normal.size() != reduce.size()) {
            throw new UserError("OpSelection: " + normal.size() + " normal and " + reduce.size()
                    + " reduction edges, expected the same count");
        }
        Stream.concat(normal.stream(), reduce.stream()).forEach(choice -> {
            if (choice < PRUNED || choice >= Primitives.NAMES.size()) {
                throw new UserError("OpSelection: " + choice + " is neither ALL, PRUNED nor an operation 0.."
                        + (Primitives.NAMES.size() - 1));
            }
        });
    }

    /** What edge {@code edge} of a normal ({@code reduction} false) or reduction cell evaluates. */
    public int of(boolean reduction, int edge) {
        return (reduction ? reduce : normal).get(edge);
    }

    public int edges() {
        return normal.size();
    }

    /** The selection as the supernet's forward parameters. */
    public PairList<String, Object> asForwardParameters() {
        PairList<String, Object> params = new PairList<>();
        params.add(PARAMETER, this);
        return params;
    }

    /** The selection in {@code params}, or null when there is none (every edge mixes every operation). */
    static OpSelection in(PairList<String, Object> params) {
        return params == null ? null : (OpSelection) params.get(PARAMETER);
    }
}
