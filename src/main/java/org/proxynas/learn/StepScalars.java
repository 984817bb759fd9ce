package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scalar operands of one update over many float32 tensors, each made once, as float32. DJL's
 * {@code mul(Number)} builds a float64 0-dim tensor from a Java buffer for every use and frees it after the
 * operation, which then casts it to float32 ({@code aten::_to_copy}) before multiplying: an SGD step paid that
 * three or four times per parameter tensor. Java's double-to-float cast rounds as that one does, so the
 * arithmetic is the same bit for bit.
 */
final class StepScalars implements AutoCloseable {
    private final NDManager manager;
    private final Map<Double, NDArray> made = new HashMap<>();

    /** Scalars on the device of the first tensor of {@code params} (all of them live on one device). */
    StepScalars(List<ParamGrad> params) {
        this.manager = params.get(0).value().getManager().newSubManager();
    }

    NDArray of(double value) {
        return made.computeIfAbsent(value, v -> manager.create(v.floatValue()));
    }

    @Override
    public void close() {
        manager.close();
    }
}
