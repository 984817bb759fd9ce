package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class ArchitectureParametersTest {
    private static final int NODES = 4;
    private static final int OPS = 8;

    @Test
    void mixingWeightsLeaveNothingBehindInTheLongLivedManager() {
        try (NDManager root = NDManager.newBaseManager()) {
            ArchitectureParameters arch = ArchitectureParameters.initialize(root, NODES, OPS, true, 0);
            int before = root.getManagedArrays().size();
            for (int step = 0; step < 3; step++) {
                try (NDManager scope = root.newSubManager()) {
                    arch.mixingWeights().attach(scope);
                }
            }
            assertThat(root.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void edgeWeightGradientIsThePerNodeSoftmaxGradient() {
        try (NDManager root = NDManager.newBaseManager()) {
            ArchitectureParameters arch = ArchitectureParameters.initialize(root, NODES, OPS, true, 3);
            int edges = arch.edges();
            float[] w = new float[edges];
            for (int e = 0; e < edges; e++) {
                w[e] = (e * 7 % 5) - 2f;
            }
            try (NDManager scope = root.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList mixing = arch.mixingWeights();
                mixing.attach(scope);
                NDArray loss = mixing.get(2).mul(scope.create(w)).sum();
                System.gc(); // closed intermediates must not be what backward reads
                gc.backward(loss);
            }
            float[] beta = arch.tensors().get(2).toFloatArray();
            float[] grad = arch.tensors().get(2).getGradient().toFloatArray();
            int start = 0;
            for (int node = 0; node < NODES; node++) {
                int end = start + 2 + node;
                double norm = 0;
                double expectation = 0;
                for (int e = start; e < end; e++) {
                    norm += Math.exp(beta[e]);
                }
                for (int e = start; e < end; e++) {
                    expectation += Math.exp(beta[e]) / norm * w[e];
                }
                for (int e = start; e < end; e++) {
                    double p = Math.exp(beta[e]) / norm;
                    assertThat((double) grad[e]).as("edge %d", e).isCloseTo(p * (w[e] - expectation), within(1e-5));
                }
                start = end;
            }
        }
    }
}
