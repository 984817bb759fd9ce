package org.proxynas.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.common.Json;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.GenotypeSampler;
import org.proxynas.nas.space.OperationBias;
import org.proxynas.train.NetworkSpec;
import org.proxynas.zerocost.Minibatch;
import org.proxynas.zerocost.ZeroCostConfig;
import org.proxynas.zerocost.ZeroCostJob;
import org.proxynas.zerocost.ZeroCostMeasures;

/**
 * What the zero-cost measures see and what they give, for bench/zero_cost_reference.py to recompute in PyTorch: for
 * DARTS_V2 and two sampled cells (the first uniform sample of seed 1, the first sample of seed 1 drawn toward pools
 * and skips), the untrained network's trainable parameters in registration order and the batches
 * ({@code NAME.npz}: p000, p001, ..., images, labels), and the genotype, the settings and every measure's value
 * ({@code NAME.json}), measured as {@link ZeroCostJob#run} measures them. Prints a line "NAME GENOTYPE" per network.
 * Usage: ZeroCostExport OUT_DIR DATASET CHANNELS LAYERS BATCHES BATCH_SIZE SEED
 */
public final class ZeroCostExport {
    private ZeroCostExport() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        String dataset = args[1];
        int channels = Integer.parseInt(args[2]);
        int layers = Integer.parseInt(args[3]);
        int batches = Integer.parseInt(args[4]);
        int batchSize = Integer.parseInt(args[5]);
        long seed = Long.parseLong(args[6]);
        Files.createDirectories(out);
        Map<String, Genotype> networks = new LinkedHashMap<>();
        networks.put("DARTS_V2", Genotype.named("DARTS_V2"));
        networks.put("sample_uniform", GenotypeSampler.sample(1, 1).get(0));
        networks.put("sample_parameter_free", GenotypeSampler.sample(1, 1, OperationBias.TOWARD_PARAMETER_FREE).get(0));
        for (Map.Entry<String, Genotype> network : networks.entrySet()) {
            ZeroCostConfig config = ZeroCostConfig.builder().setDataset(dataset)
                    .setNetwork(new NetworkSpec.Cells(network.getKey(), network.getValue(), layers, channels, null))
                    .optSeed(seed).optBatches(batches).optBatchSize(batchSize).build();
            try (NDManager manager = NDManager.newBaseManager()) {
                ZeroCostJob.Inputs inputs = ZeroCostJob.inputs(config, manager);
                NDList arrays = new NDList();
                for (Parameter p : inputs.network().getParameters().values()) {
                    if (p.requiresGradient()) {
                        arrays.add(named(p.getArray(), String.format("p%03d", arrays.size())));
                    }
                }
                List<NDArray> images = new ArrayList<>();
                List<NDArray> labels = new ArrayList<>();
                for (Minibatch b : inputs.batches()) {
                    images.add(b.images());
                    labels.add(b.labels());
                }
                arrays.add(named(joined(images), "images"));
                arrays.add(named(joined(labels), "labels"));
                try (OutputStream npz = Files.newOutputStream(out.resolve(network.getKey() + ".npz"))) {
                    arrays.encode(npz, NDList.Encoding.NPZ);
                }
                Map<String, Object> measured = new LinkedHashMap<>();
                for (String name : config.measures()) {
                    measured.put(name, ZeroCostMeasures.create(name).compute(inputs.network(), manager,
                            inputs.batches()));
                }
                Map<String, Object> description = new LinkedHashMap<>();
                description.put("genotype", network.getValue());
                description.put("channels", channels);
                description.put("layers", layers);
                description.put("classes", inputs.network().config().classes());
                description.put("batches", batches);
                description.put("measures", measured);
                Json.write(out.resolve(network.getKey() + ".json"), description);
                System.out.println(network.getKey() + " " + network.getValue().toDartsString());
            }
        }
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    /** Batches joined along the examples, as the authors join the batches they read. */
    private static NDArray joined(List<NDArray> batches) {
        return batches.size() == 1 ? batches.get(0) : NDArrays.concat(new NDList(batches), 0);
    }
}
