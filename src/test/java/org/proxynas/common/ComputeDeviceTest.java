package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
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

    @Test
    void aGpuThatPyTorchDoesNotSeeIsAUserErrorNamingTheSetting() {
        int gpus = Engine.getInstance().getGpuCount();
        String beyond = "gpu:" + gpus;
        assertThatThrownBy(() -> ComputeDevice.parse(beyond).resolve()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("device " + beyond + ": PyTorch sees");
    }
}
