package org.proxynas.nas.space;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * The {@code none} operation once computed {@code x.mul(0f)}: DJL freed the scalar after the op while
 * autograd kept it for the backward pass, so a garbage collection in between turned gradients into
 * garbage (1e30, NaN). The gradient through {@code none} must be exactly zero however the GC runs.
 */
class ZeroGradientTest {
    @Test
    void gradientThroughNoneIsExactlyZeroAcrossGarbageCollections() {
        try (NDManager m = NDManager.newBaseManager()) {
            Zero zero = new Zero(2);
            ParameterStore ps = new ParameterStore(m, false);
            for (int pass = 0; pass < 5; pass++) {
                NDArray x = m.randomNormal(new Shape(4, 3, 8, 8));
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = zero.forward(ps, new NDList(x), true).singletonOrThrow();
                    NDArray loss = y.add(1f).sum().add(x.sum());
                    // Collect, then refill freed native memory with 7s, so a read of freed memory shows.
                    System.gc();
                    java.util.List<java.nio.ByteBuffer> refill = new java.util.ArrayList<>();
                    for (int j = 0; j < 4096; j++) {
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
                        b.putFloat(0, 7f);
                        refill.add(b);
                    }
                    gc.backward(loss);
                    assertThat(refill).hasSize(4096);
                }
                assertThat(x.getGradient().toFloatArray()).containsOnly(1f);
            }
        }
    }
}
