package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.learn.ParamGrad;
import org.proxynas.nas.space.SearchNetwork;

class SearchModelTest {
    /**
     * The architecture-only backward pass gives α and β exactly the gradients of a full backward pass (DARTS'
     * {@code loss.backward()}), leaves the weights' gradients alone, and the weights require a gradient again
     * afterwards, for the weight step.
     */
    @Test
    void aBackwardWithoutWeightsGivesTheArchitectureTheFullPassGradientsAndTheWeightsNone() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager root = NDManager.newBaseManager();
                SearchModel model = SearchFixtures.tinyModel(root, 4);
                Batch val = SearchFixtures.randomBatch(root, 8, 2);
                NDManager m = root.newSubManager()) {
            ArchitectureParameters arch = model.architecture();
            arch.zeroGradients();
            model.zeroWeightGradients(m);
            try (NDManager phase = m.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(model.loss(phase, val, model.mixing(phase)));
            }
            List<NDArray> full = arch.gradientCopies(m);
            assertThat(weightGradientSum(model, m)).as("a full pass reaches the weights").isPositive();

            arch.zeroGradients();
            model.zeroWeightGradients(m);
            try (NDManager phase = m.newSubManager()) {
                model.backwardWithoutWeights(() -> model.loss(phase, val, model.mixing(phase)));
            }
            List<NDArray> architectureOnly = arch.gradientCopies(m);

            assertThat(architectureOnly).hasSameSizeAs(full);
            for (int i = 0; i < full.size(); i++) {
                assertThat(architectureOnly.get(i).contentEquals(full.get(i))).as("gradient %d, bit for bit", i)
                        .isTrue();
                assertThat(full.get(i).abs().sum().getFloat()).isPositive();
            }
            assertThat(weightGradientSum(model, m)).as("the weights' gradients stay zero").isZero();
            assertThat(model.weights()).as("weights require a gradient again").allMatch(NDArray::hasGradient);
        }
    }

    /**
     * A supernet whose cells output one node (multiplier 1) still passes the gradient to α: DJL's concatenation
     * of a single array detached it, so α got none and only the classifier trained.
     */
    @Test
    void cellsOfOneOutputNodeStillPassTheGradientToTheArchitecture() {
        Engine.getInstance().setRandomSeed(5);
        SearchNetwork oneNode = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(4)
                .optLayers(3).optNodes(2).optMultiplier(1).build();
        try (NDManager root = NDManager.newBaseManager();
                SearchModel model = SearchFixtures.tinyModel(root, oneNode, 4);
                Batch val = SearchFixtures.randomBatch(root, 8, 2);
                NDManager m = root.newSubManager()) {
            model.architecture().zeroGradients();
            try (NDManager phase = m.newSubManager()) {
                model.backwardWithoutWeights(() -> model.loss(phase, val, model.mixing(phase)));
            }
            for (NDArray g : model.architecture().gradientCopies(m)) {
                assertThat(g.abs().sum().getFloat()).isPositive();
            }
        }
    }

    private static float weightGradientSum(SearchModel model, NDManager m) {
        float sum = 0;
        for (ParamGrad p : model.weightGradients(m)) {
            sum += p.grad().abs().sum().getFloat();
        }
        return sum;
    }
}
