package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads offline and computes: if this fails, nothing else can work. */
class EngineSmokeTest {
    @Test
    void pytorchEngineRunsOffline() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
        assertThat(Engine.getInstance().getVersion()).startsWith(Versions.pytorch());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.arange(6f).reshape(new Shape(2, 3));
            assertThat(a.matMul(a.transpose()).toFloatArray()).containsExactly(5f, 14f, 14f, 50f);
        }
    }
}
