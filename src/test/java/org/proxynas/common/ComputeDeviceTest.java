package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComputeDeviceTest {
    @ParameterizedTest
    @ValueSource(strings = {"auto", "cpu", "gpu", "gpu:0", "gpu:3", " GPU:1 ", "Cpu"})
    void acceptsTheDocumentedSpellings(String text) {
        assertThat(ComputeDevice.parse(text).spec()).isEqualTo(text.trim().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tpu", "gpu:", "gpu:-1", "gpu0", "cuda", "cpu:0", "gpu:1:2"})
    void refusesAnythingElseNamingTheSetting(String text) {
        assertThatThrownBy(() -> ComputeDevice.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("device must be auto, cpu, gpu or gpu:N");
    }

    @Test
    void autoAndCpuResolveToTheCpuWithoutAGpu() {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        assertThat(ComputeDevice.AUTO.resolve()).isEqualTo(Device.cpu());
        assertThat(ComputeDevice.CPU.resolve()).isEqualTo(Device.cpu());
        assertThat(ComputeDevice.describe(Device.cpu())).isEqualTo("cpu()");
    }

    /**
     * A job on a thread other than the one that loaded the engine (a Spark task's) updates its weights in place
     * and records no graph outside a gradient collector, as on the main thread.
     */
    @Test
    void aJobOnAnotherThreadUpdatesWeightsInPlaceWithoutRecordingAGraph() throws Exception {
        Engine.getInstance();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread job = new Thread(() -> {
            try (NDManager manager = NDManager.newBaseManager(ComputeDevice.CPU.resolve())) {
                NDArray w = manager.create(new float[] {1f, 2f});
                w.setRequiresGradient(true);
                w.subi(manager.create(new float[] {0.5f, 0.5f}));
                outcome.set(List.of(JniUtils.isGradMode(), w.toFloatArray()));
            } catch (RuntimeException e) {
                outcome.set(e.getMessage());
            }
        });
        job.start();
        job.join();
        assertThat(outcome.get()).asList().first().isEqualTo(false);
        assertThat((float[]) ((List<?>) outcome.get()).get(1)).containsExactly(0.5f, 1.5f);
    }

    @Test
    void aGpuThatPyTorchDoesNotSeeIsAUserErrorNamingTheSetting() {
        int gpus = Engine.getInstance().getGpuCount();
        String beyond = "gpu:" + gpus;
        assertThatThrownBy(() -> ComputeDevice.parse(beyond).resolve()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("device " + beyond + ": PyTorch sees");
    }
}
