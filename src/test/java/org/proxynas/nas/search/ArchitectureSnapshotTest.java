package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.proxynas.nas.space.Genotype;

class ArchitectureSnapshotTest {
    @Test
    void edgeWeightsScaleEachEdgeBeforeTheGenotypeIsChosen() {
        float[][] w = new float[14][8];
        for (float[] row : w) {
            row[4] = 0.5f;
        }
        w[0][4] = 0.6f;
        float[] beta = new float[14];
        Arrays.fill(beta, 0.5f);
        beta[0] = 0.1f;
        ArchitectureSnapshot plain = new ArchitectureSnapshot(w, w, null, null);
        ArchitectureSnapshot pc = new ArchitectureSnapshot(w, w, beta, beta);
        assertThat(Genotype.derive(plain.normalForGenotype(), plain.reduceForGenotype(), 4).normal().get(0).input())
                .isZero();
        assertThat(Genotype.derive(pc.normalForGenotype(), pc.reduceForGenotype(), 4).normal().get(0).input())
                .isEqualTo(1);
    }
}
