package org.proxynas.nas.search;

import org.proxynas.data.DataLoader.Batch;

/**
 * DARTS, first order (Liu et al. 2019, {@code unrolled=False}): the architecture follows the gradient of
 * the validation loss at the current weights.
 */
final class FirstOrderDarts implements SearchAlgorithm {

    @Override
    public String name() {
        return "darts";
    }

    @Override
    public StepStats step(SearchModel model, Batch train, Batch val, StepContext context) {
        if (context.updateArchitecture()) {
            model.firstOrderArchitectureStep(context.manager(), val);
        }
        return model.weightStep(context.manager(), train, model.mixing(context.manager()),
                context.weightLr());
    }
}
