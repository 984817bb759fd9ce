package org.proxynas.train;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Objects;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;
import org.proxynas.data.Normalization;

/**
 * {@code model.json} of a model directory ({@link ModelDirectory}): everything inference needs besides the
 * weights, and where the model came from.
 *
 * @param format always {@value ModelDirectory#FORMAT}: what tells a model directory from any other JSON
 * @param formatVersion the layout of the directory and of this file; a reader refuses versions it does not know
 * @param network the architecture (a genotype's cells with layers and channels, or a ResNet depth)
 * @param auxiliaryHead whether the weights include DARTS' auxiliary head, which inference never runs
 * @param input the image shape the network reads (images of any other size are scaled and cropped to it)
 * @param normalization per-channel mean and std the pixels/255 are normalized with
 * @param classNames the classes, in the order of the network's outputs
 * @param dataset the dataset spec the network was trained on
 * @param trainSplitSha256 content checksum of that dataset's training split
 * @param training how it was trained and tested
 * @param weights the DJL parameter file and its SHA-256
 */
public record ModelManifest(
        String format,
        int formatVersion,
        NetworkSpec network,
        boolean auxiliaryHead,
        InputShape input,
        Normalization normalization,
        List<String> classNames,
        String dataset,
        String trainSplitSha256,
        Training training,
        Weights weights,
        Provenance provenance) {

    public ModelManifest {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(weights, "weights");
        classNames = List.copyOf(classNames);
        if (classNames.size() < 2) {
            throw new UserError("classNames: a classifier has at least 2 classes, found " + classNames.size());
        }
        if (normalization.channels() != input.channels()) {
            throw new UserError("normalization has " + normalization.channels() + " channels, the input "
                    + input.channels());
        }
    }

    /** A manifest of the current format. */
    static ModelManifest current(NetworkSpec network, boolean auxiliaryHead, InputShape input,
            Normalization normalization, List<String> classNames, String dataset, String trainSplitSha256,
            Training training, Weights weights, Provenance provenance) {
        return new ModelManifest(ModelDirectory.FORMAT, ModelDirectory.FORMAT_VERSION, network, auxiliaryHead, input,
                normalization, classNames, dataset, trainSplitSha256, training, weights, provenance);
    }

    public int classes() {
        return classNames.size();
    }

    /** C×H×W of one image. */
    public record InputShape(int channels, int height, int width) {
        public InputShape {
            if (channels < 1 || height < 1 || width < 1) {
                throw new UserError("input: expected positive channels, height and width, found " + channels + "x"
                        + height + "x" + width);
            }
        }

        public Shape shape() {
            return new Shape(channels, height, width);
        }
    }

    /**
     * @param batchSize the batch size it was trained and tested with
     * @param testExamples how many test examples {@code finalTestAccuracy} counts (the first ones of the split)
     * @param finalTestAccuracy test accuracy after the last epoch, as {@code result.json} reports it
     */
    public record Training(int epochs, int batchSize, int trainExamples, int testExamples, double finalTestAccuracy) {}

    /** The parameter file, in DJL's format, and its SHA-256. */
    public record Weights(String file, String sha256) {
        public Weights {
            if (file == null || file.isBlank() || sha256 == null || sha256.isBlank()) {
                throw new UserError("weights: expected a file name and its sha256");
            }
        }
    }
}
