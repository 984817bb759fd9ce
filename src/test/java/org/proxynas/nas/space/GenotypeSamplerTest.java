package org.proxynas.nas.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.proxynas.common.UserError;

class GenotypeSamplerTest {
    private static final List<Genotype> SAMPLE = GenotypeSampler.sample(200, 7);

    @Test
    void everySampledCellIsValid() {
        assertValid(SAMPLE);
        assertValid(GenotypeSampler.sample(100, 7, OperationBias.TOWARD_PARAMETER_FREE));
        assertValid(GenotypeSampler.sample(100, 7, OperationBias.TOWARD_CONVOLUTIONS));
    }

    private static void assertValid(List<Genotype> sample) {
        for (Genotype g : sample) {
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

    /**
     * The first uniform draws of seed 1 as the sampler made them before biases existed: a study's architectures
     * must not change under it.
     */
    @Test
    void uniformSamplesAreTheSameAsBeforeBiasesExisted() {
        List<Genotype> earlier = List.of(
                Genotype.parse("Genotype(normal=[('avg_pool_3x3', 0), ('dil_conv_3x3', 1), ('sep_conv_3x3', 0),"
                        + " ('sep_conv_5x5', 1), ('dil_conv_5x5', 0), ('dil_conv_5x5', 2), ('dil_conv_3x3', 0),"
                        + " ('skip_connect', 2)], normal_concat=range(2, 6), reduce=[('dil_conv_5x5', 0),"
                        + " ('dil_conv_5x5', 1), ('dil_conv_5x5', 0), ('dil_conv_5x5', 1), ('skip_connect', 0),"
                        + " ('max_pool_3x3', 2), ('dil_conv_3x3', 1), ('dil_conv_5x5', 2)],"
                        + " reduce_concat=range(2, 6))"),
                Genotype.parse("Genotype(normal=[('avg_pool_3x3', 0), ('avg_pool_3x3', 1), ('sep_conv_3x3', 1),"
                        + " ('max_pool_3x3', 2), ('sep_conv_5x5', 1), ('sep_conv_5x5', 3), ('sep_conv_3x3', 1),"
                        + " ('sep_conv_5x5', 3)], normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0),"
                        + " ('max_pool_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0),"
                        + " ('dil_conv_3x3', 3), ('dil_conv_3x3', 1), ('sep_conv_3x3', 2)],"
                        + " reduce_concat=range(2, 6))"));
        assertThat(GenotypeSampler.sample(2, 1)).isEqualTo(earlier);
        assertThat(GenotypeSampler.sample(200, 7, OperationBias.UNIFORM)).isEqualTo(SAMPLE);
    }

    /** The two groups split the space's operations, and uniform sampling gives the parameter-free group 3/7. */
    @Test
    void theGroupsPartitionTheOperations() {
        Set<String> both = new HashSet<>(OperationBias.PARAMETER_FREE_OPERATIONS);
        both.addAll(OperationBias.CONVOLUTIONS);
        assertThat(both).hasSize(Primitives.NAMES.size() - 1).doesNotContain(Primitives.NONE)
                .allSatisfy(op -> assertThat(Primitives.NAMES).contains(op));
        assertThat(OperationBias.UNIFORM.parameterFreeShare()).isEqualTo(3.0 / 7);
        assertThat(parameterFreeShare(SAMPLE)).isCloseTo(3.0 / 7, offset(0.03));
    }

    /**
     * 100 architectures have 1,600 edges: a share's standard error is about 0.01, so 0.04 tells the biases apart
     * from uniform (0.43) and from each other without failing by chance.
     */
    @Test
    void biasedSamplesDrawTheirGroupAtTheirShare() {
        for (OperationBias bias : List.of(OperationBias.TOWARD_PARAMETER_FREE, OperationBias.TOWARD_CONVOLUTIONS,
                OperationBias.parse("parameter-free:0.5"))) {
            List<Genotype> sample = GenotypeSampler.sample(100, 3, bias);
            assertThat(parameterFreeShare(sample)).as(bias.name())
                    .isCloseTo(bias.parameterFreeShare(), offset(0.04));
            assertThat(GenotypeSampler.sample(100, 3, bias)).as("same seed").isEqualTo(sample);
            assertThat(operations(sample)).as("every operation of both groups")
                    .hasSize(Primitives.NAMES.size() - 1);
        }
    }

    @Test
    void extremeSharesDrawOneGroupOnly() {
        assertThat(operations(GenotypeSampler.sample(30, 5, OperationBias.parse("parameter-free:1"))))
                .containsExactlyInAnyOrderElementsOf(OperationBias.PARAMETER_FREE_OPERATIONS);
        assertThat(operations(GenotypeSampler.sample(30, 5, OperationBias.parse("parameter-free:0"))))
                .containsExactlyInAnyOrderElementsOf(OperationBias.CONVOLUTIONS);
    }

    @Test
    void biasesParseByNameOrShare() {
        assertThat(OperationBias.parse("uniform")).isEqualTo(OperationBias.UNIFORM);
        assertThat(OperationBias.parse(" Parameter-Free ")).isEqualTo(OperationBias.TOWARD_PARAMETER_FREE);
        assertThat(OperationBias.parse("convolutions")).isEqualTo(OperationBias.TOWARD_CONVOLUTIONS);
        assertThat(OperationBias.parse("parameter-free:0.25"))
                .isEqualTo(new OperationBias("parameter-free:0.25", 0.25));
        assertThat(OperationBias.parse("parameter-free:0.25").isUniform()).isFalse();
        for (String bad : List.of("pools", "parameter-free:", "parameter-free:x", "parameter-free:1.5", "")) {
            assertThatThrownBy(() -> OperationBias.parse(bad)).as(bad).isInstanceOf(UserError.class);
        }
    }

    private static double parameterFreeShare(List<Genotype> sample) {
        long parameterFree = 0;
        long edges = 0;
        for (Genotype g : sample) {
            for (List<Genotype.Edge> cell : List.of(g.normal(), g.reduce())) {
                for (Genotype.Edge e : cell) {
                    edges++;
                    parameterFree += OperationBias.PARAMETER_FREE_OPERATIONS.contains(e.op()) ? 1 : 0;
                }
            }
        }
        return (double) parameterFree / edges;
    }

    private static Set<String> operations(List<Genotype> sample) {
        Set<String> ops = new HashSet<>();
        for (Genotype g : sample) {
            g.normal().forEach(e -> ops.add(e.op()));
            g.reduce().forEach(e -> ops.add(e.op()));
        }
        return ops;
    }
}
