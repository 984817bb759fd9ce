package org.proxynas.bench;

import ai.djl.Device;
import org.proxynas.common.ComputeDevice;

/** The device a benchmark runs on: {@code -Dproxynas.device=auto|cpu|gpu|gpu:N} (default auto). */
final class BenchDevice {
    private BenchDevice() {}

    static Device resolve() {
        return ComputeDevice.parse(System.getProperty("proxynas.device", "auto")).resolve();
    }
}
