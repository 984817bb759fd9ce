package org.proxynas.zerocost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MatricesTest {

    @Test
    void correlationsOfRowsAreNumpysCorrcoef() {
        // rows 2 and 3 are row 1 reversed and row 1 scaled and shifted: correlations −1 and 1
        double[] c = Matrices.rowCorrelations(new double[][] {{1, 2, 3}, {3, 2, 1}, {12, 14, 16}});
        assertThat(c).containsExactly(new double[] {1, -1, 1, -1, 1, -1, 1, -1, 1}, within(1e-15));
        // corr([1, 0, 0], [0, 1, 0]): covariance −1/3 over variances 2/3: −0.5
        assertThat(Matrices.rowCorrelations(new double[][] {{1, 0, 0}, {0, 1, 0}})[1]).isCloseTo(-0.5, within(1e-15));
        assertThat(Matrices.rowCorrelations(new double[][] {{1, 1, 1}, {0, 1, 0}})[1]).isNaN();
    }

    /** The tridiagonal [2 1 0; 1 2 1; 0 1 2] has eigenvalues 2 − √2, 2, 2 + √2. */
    @Test
    void symmetricEigenvalues() {
        double[] values = Matrices.symmetricEigenvalues(new double[] {2, 1, 0, 1, 2, 1, 0, 1, 2}, 3);
        assertThat(values).containsExactly(new double[] {2 - Math.sqrt(2), 2, 2 + Math.sqrt(2)}, within(1e-14));
        // rank one, 50×50: one eigenvalue 50, the others 0 to rounding
        double[] ones = new double[50 * 50];
        java.util.Arrays.fill(ones, 1);
        double[] rankOne = Matrices.symmetricEigenvalues(ones, 50);
        assertThat(rankOne[49]).isCloseTo(50, within(1e-12));
        assertThat(rankOne[48]).isCloseTo(0, within(1e-12));
        assertThat(rankOne[0]).isCloseTo(0, within(1e-12));
    }

    @Test
    void logAbsoluteDeterminantPivotsAndSpotsSingularMatrices() {
        assertThat(Matrices.logAbsDeterminant(new double[] {0, 2, 3, 0}, 2)).isCloseTo(Math.log(6), within(1e-15));
        assertThat(Matrices.logAbsDeterminant(new double[] {5, 3, 3, 3, 5, 1, 3, 1, 5}, 3))
                .isCloseTo(Math.log(48), within(1e-14));
        assertThat(Matrices.logAbsDeterminant(new double[] {1, 2, 2, 4}, 2)).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
