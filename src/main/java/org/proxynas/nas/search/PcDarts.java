package org.proxynas.nas.search;

import org.proxynas.data.DataLoader.Batch;

/**
 * PC-DARTS (Xu et al. 2020): the supernet mixes operations on 1/K of the channels and weights each edge by
 * β̂, a softmax of edge parameters β over each node's inputs; α and β are learned together, first order.
 * What differs from DARTS lives in the supernet ({@link SearchJob} builds it with K and edge weights) and
 * in the genotype rule ({@link ArchitectureSnapshot#normalForGenotype()}); the step itself is DARTS'.
 */
final class PcDarts implements SearchAlgorithm {
    private final FirstOrderDarts darts = new FirstOrderDarts();

    @Override
    public String name() {
        return "pc-darts";
    }

    @Override
    public StepStats step(SearchModel model, Batch train, Batch val, StepContext context) {
        return darts.step(model, train, val, context);
    }
}
