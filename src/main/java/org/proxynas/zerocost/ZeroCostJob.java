package org.proxynas.zerocost;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.data.DataLoader;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.data.SubsetFile;
import org.proxynas.learn.Initialization;
import org.proxynas.train.GenotypeNetwork;
import org.proxynas.train.NetworkSpec;

/**
 * Measures a genotype's untrained network with zero-cost measures: builds the network with the weights a training of
 * it with the same seed starts from, draws the batches, runs each measure and times it. Reads the dataset (and the
 * selection file), writes nothing; the caller keeps the {@link ZeroCostResult}.
 */
public final class ZeroCostJob {
    private ZeroCostJob() {}

    public static ZeroCostResult run(ZeroCostConfig config) throws IOException {
        return run(config, RunContext.DEFAULT);
    }

    public static ZeroCostResult run(ZeroCostConfig config, RunContext context) throws IOException {
        Device device = context.device().resolve();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Inputs inputs = inputs(config, manager);
            List<ZeroCostResult.Measurement> measurements = new ArrayList<>();
            for (String name : config.measures()) {
                ZeroCostMeasure measure = ZeroCostMeasures.create(name);
                long start = System.nanoTime();
                double value = measure.compute(inputs.network(), manager, inputs.batches());
                measurements.add(new ZeroCostResult.Measurement(name, value, (System.nanoTime() - start) / 1e9));
            }
            return new ZeroCostResult(config, config.network().describe(), inputs.examples(), measurements,
                    Provenance.capture(ComputeDevice.describe(device), context.command()));
        }
    }

    /**
     * What {@link #run} measures: the untrained network, the batches, and how many training examples they were
     * drawn from.
     */
    public record Inputs(GenotypeNetwork network, List<Minibatch> batches, int examples) {}

    /** The network and batches {@code config} names, in {@code manager}: what {@link #run} hands each measure. */
    public static Inputs inputs(ZeroCostConfig config, NDManager manager) throws IOException {
        ImageDataset trainSplit = Datasets.open(config.dataset(), Split.TRAIN);
        ImageDataset train = config.trainSubset() == null ? trainSplit
                : trainSplit.subset(SubsetFile.read(config.trainSubset(), trainSplit.size()));
        long needed = (long) config.batches() * config.batchSize();
        if (train.size() < needed) {
            throw new UserError("zero-cost: " + config.batches() + " batches of " + config.batchSize()
                    + " need " + needed + " training examples, found " + train.size());
        }
        GenotypeNetwork network = untrainedNetwork(config.network(), trainSplit, config.seed(), manager);
        return new Inputs(network, firstBatches(config, trainSplit, train, manager), train.size());
    }

    /**
     * The network {@link org.proxynas.train.TrainJob} trains for {@code spec} on {@code trainSplit}, with the
     * weights its training seeded {@code seed} starts from, as it predicts: without the auxiliary head. Where the
     * training has the head, its weights are drawn in between the cells' ({@link Initialization#seeded}), so the
     * network is drawn with it and its other weights copied into one without it.
     */
    static GenotypeNetwork untrainedNetwork(NetworkSpec.Cells spec, ImageDataset trainSplit, long seed,
            NDManager manager) {
        Shape image = new Shape(trainSplit.channels(), trainSplit.height(), trainSplit.width());
        boolean auxiliary = spec.auxiliaryFor(trainSplit.height(), trainSplit.width());
        GenotypeNetwork trained = spec.network(trainSplit.numClasses(), trainSplit.channels(), auxiliary);
        Initialization.seeded(trained, manager, seed, image);
        if (!auxiliary) {
            return trained;
        }
        GenotypeNetwork inference = spec.network(trainSplit.numClasses(), trainSplit.channels(), false);
        inference.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(image));
        Set<Parameter> head = Collections.newSetFromMap(new IdentityHashMap<>());
        head.addAll(trained.auxiliaryHead().orElseThrow().getParameters().values());
        Iterator<Parameter> target = inference.getParameters().values().iterator();
        for (Parameter source : trained.getParameters().values()) {
            if (!head.contains(source)) {
                Parameter copy = target.next();
                if (!copy.getArray().getShape().equals(source.getArray().getShape())) {
                    throw new IllegalStateException("parameter " + source.getName() + " " + source.getArray().getShape()
                            + " has no counterpart in the network without the auxiliary head");
                }
                source.getArray().copyTo(copy.getArray());
            }
        }
        if (target.hasNext()) {
            throw new IllegalStateException("the network without the auxiliary head has parameters the one with it"
                    + " lacks, from " + target.next().getName());
        }
        return inference;
    }

    /** The first batches of the seed's order, normalized with the whole training split's statistics, as training. */
    private static List<Minibatch> firstBatches(ZeroCostConfig config, ImageDataset trainSplit, ImageDataset train,
            NDManager manager) {
        DataLoader loader = DataLoader.builder().setDataset(train).setBatchSize(config.batchSize()).optShuffle(true)
                .optSeed(config.seed()).optNormalization(Normalization.of(trainSplit)).build();
        List<Minibatch> batches = new ArrayList<>();
        Iterator<DataLoader.Batch> epoch = loader.epoch(manager, 0);
        for (int b = 0; b < config.batches(); b++) {
            DataLoader.Batch batch = epoch.next();
            batches.add(new Minibatch(batch.images(), batch.labels()));
        }
        return batches;
    }
}
