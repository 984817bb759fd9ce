package org.proxynas.inference;

import org.proxynas.common.Provenance;

/**
 * What a prediction did: how many images it classified, or its accuracy on a dataset.
 *
 * @param network the model's network, as tables name it
 * @param images images classified (0 for a dataset)
 * @param dataset the accuracy on a dataset's test split; null for images
 */
public record PredictResult(String model, String network, int images, DatasetAccuracy dataset, Provenance provenance) {

    /**
     * @param examples the test examples (the first ones of the split)
     * @param finalTestAccuracy the accuracy {@code result.json} reports for the same examples, when this is the
     *     dataset and test size the model was tested on; null otherwise
     */
    public record DatasetAccuracy(String dataset, int examples, double accuracy, double loss,
            Double finalTestAccuracy) {}
}
