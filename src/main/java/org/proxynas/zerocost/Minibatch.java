package org.proxynas.zerocost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;

/** One mini-batch a measure reads: normalized float32 images N×C×H×W and int64 labels N. */
public record Minibatch(NDArray images, NDArray labels) {
    public Minibatch {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.getShape().dimension() != 4 || labels.getShape().size() != images.getShape().get(0)) {
            throw new IllegalArgumentException("a mini-batch needs N×C×H×W images and N labels, found "
                    + images.getShape() + " and " + labels.getShape());
        }
    }

    public int size() {
        return Math.toIntExact(images.getShape().get(0));
    }

    /**
     * Lends both arrays to {@code scope} until it closes, so that everything a pass computes from them belongs
     * to the pass and is freed with it (an operation's result belongs to its first operand's manager).
     */
    void lendTo(NDManager scope) {
        images.tempAttach(scope);
        labels.tempAttach(scope);
    }
}
