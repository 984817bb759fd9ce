package org.proxynas.nas.search;

import ai.djl.ndarray.NDList;
import org.proxynas.nas.space.OpSelection;

/**
 * What the supernet computes with in one forward pass: the normalized architecture weights it takes after
 * the input (softmax(α) of both cell types, and β̂ with edge weights) and which operations each edge
 * evaluates.
 *
 * @param ops null when every edge mixes all its operations (DARTS)
 */
public record Mixing(NDList weights, OpSelection ops) {

    /** Every edge mixes every operation with {@code weights}. */
    public static Mixing dense(NDList weights) {
        return new Mixing(weights, null);
    }
}
