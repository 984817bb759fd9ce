package org.proxynas.learn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The route a GPU run's weights take (drawn on the CPU, then loaded into the run's manager) gives the same
 * weights as drawing them in place, with gradients switched on where the block wants them.
 */
class InitializationTest {
    @Test
    void weightsDrawnOnTheCpuAndLoadedEqualThoseDrawnInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape input = new Shape(1, 1, 28, 28);
            Block inPlace = TinyNets.convNet();
            Engine.getInstance().setRandomSeed(7);
            Initialization.initialize(inPlace, m, DataType.FLOAT32, input);
            Block moved = TinyNets.convNet();
            Engine.getInstance().setRandomSeed(7);
            Initialization.initializeOnCpu(moved, m, DataType.FLOAT32, input);

            List<Parameter> a = inPlace.getParameters().values();
            List<Parameter> b = moved.getParameters().values();
            assertThat(b).hasSameSizeAs(a).isNotEmpty();
            for (int i = 0; i < a.size(); i++) {
                Parameter p = a.get(i);
                Parameter q = b.get(i);
                assertThat(q.getArray().getDevice()).isEqualTo(m.getDevice());
                assertThat(q.getArray().toFloatArray()).containsExactly(p.getArray().toFloatArray());
                assertThat(q.getArray().hasGradient()).isEqualTo(p.requiresGradient());
            }
        }
    }
}
