package org.proxynas.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Counts the tensors of a run that are not on its device, gradients included: every benchmark row reports
 * it, so a GPU run shows that nothing fell back to the host.
 */
final class Placement {
    private Placement() {}

    static int misplaced(Device device, List<NDArray> tensors, NDManager gradientScope) {
        int wrong = 0;
        for (NDArray t : tensors) {
            if (!t.getDevice().equals(device)) {
                wrong++;
            }
            if (t.hasGradient()) {
                try (NDManager scope = gradientScope.newSubManager()) {
                    NDArray g = t.getGradient();
                    g.attach(scope);
                    if (!g.getDevice().equals(device)) {
                        wrong++;
                    }
                }
            }
        }
        return wrong;
    }
}
