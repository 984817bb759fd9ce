package org.proxynas.nas.space;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenotypeSamplerTest {
    private static final List<Genotype> SAMPLE = GenotypeSampler.sample(200, 7);

    @Test
    void everySampledCellIsValid() {
        for (Genotype g : SAMPLE) {
            for (List<Genotype.Edge> cell : List.of(g.normal(), g.reduce())) {
                assertThat(cell).hasSize(2 * GenotypeSampler.NODES);
                for (int node = 0; node < GenotypeSampler.NODES; node++) {
                    Genotype.Edge a = cell.get(2 * node);
                    Genotype.Edge b = cell.get(2 * node + 1);
                    assertThat(a.input()).as("%s node %d", g, node).isLessThan(b.input());
                    assertThat(b.input()).as("%s node %d", g, node).isLessThanOrEqualTo(node + 1);
                    assertThat(List.of(a.op(), b.op())).doesNotContain(Primitives.NONE)
                            .allSatisfy(op -> assertThat(Primitives.NAMES).contains(op));
                }
            }
            assertThat(g.normalConcat()).containsExactly(2, 3, 4, 5);
            assertThat(g.reduceConcat()).containsExactly(2, 3, 4, 5);
            assertThat(GenotypeSampler.canonical(g)).isEqualTo(g);
        }
    }

    @Test
    void theSampleIsDistinctAndTheSameForASeed() {
        assertThat(new HashSet<>(SAMPLE)).hasSize(SAMPLE.size());
        assertThat(GenotypeSampler.sample(200, 7)).isEqualTo(SAMPLE);
        assertThat(GenotypeSampler.sample(200, 8)).isNotEqualTo(SAMPLE);
        assertThat(GenotypeSampler.sample(20, 7)).isEqualTo(SAMPLE.subList(0, 20));
    }

    /** Uniform draws reach every operation and every input of the last node in both cell types. */
    @Test
    void theSampleCoversTheSpace() {
        Set<String> ops = new HashSet<>();
        Set<Integer> lastNodeInputs = new HashSet<>();
        for (Genotype g : SAMPLE) {
            for (List<Genotype.Edge> cell : List.of(g.normal(), g.reduce())) {
                cell.forEach(e -> ops.add(e.op()));
                lastNodeInputs.add(cell.get(cell.size() - 2).input());
                lastNodeInputs.add(cell.get(cell.size() - 1).input());
            }
        }
        assertThat(ops).hasSize(Primitives.NAMES.size() - 1);
        assertThat(lastNodeInputs).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void theCanonicalFormIgnoresTheOrderOfANodesEdges() {
        Genotype dartsV2 = Genotype.named("DARTS_V2");
        Genotype swapped = new Genotype(List.of(dartsV2.normal().get(1), dartsV2.normal().get(0),
                dartsV2.normal().get(2), dartsV2.normal().get(3), dartsV2.normal().get(4), dartsV2.normal().get(5),
                dartsV2.normal().get(6), dartsV2.normal().get(7)), dartsV2.normalConcat(), dartsV2.reduce(),
                dartsV2.reduceConcat());
        assertThat(swapped).isNotEqualTo(dartsV2);
        assertThat(GenotypeSampler.canonical(swapped)).isEqualTo(GenotypeSampler.canonical(dartsV2));
    }
}
