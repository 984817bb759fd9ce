package org.proxynas.learn;

import java.util.List;

/**
 * A block of ours that can describe its inference computation to an {@link InferenceGraph}: the same operations,
 * in the same order, as its {@code forwardInternal} with {@code training = false}, written next to it so that the
 * two change together. Tests run the exported graph against DJL on every network the project builds.
 */
public interface ExportableBlock {
    /** The output node of this block on {@code inputs} (as many as {@code forward} takes). */
    <T> T exportTo(InferenceGraph<T> graph, List<T> inputs);
}
