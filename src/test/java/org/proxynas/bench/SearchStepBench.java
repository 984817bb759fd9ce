package org.proxynas.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.proxynas.common.Json;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.data.DataLoader;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.learn.AdamUpdater;
import org.proxynas.learn.SgdUpdater;
import org.proxynas.nas.search.ArchitectureParameters;
import org.proxynas.nas.search.SearchAlgorithm;
import org.proxynas.nas.search.SearchAlgorithms;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.search.SearchModel;
import org.proxynas.nas.search.StepContext;
import org.proxynas.nas.space.Primitives;
import org.proxynas.nas.space.SearchNetwork;

/**
 * Seconds per search step (architecture step on a validation batch + weight step on a training batch, as
 * the reference bench.py) and peak RSS, one configuration per process, for any {@code --algo} with its
 * default settings. SGAS is measured before its first decision (every decision makes its steps cheaper),
 * GDAS at its first epoch's temperature, SDARTS-ADV with its first epoch's ε.
 * Usage: {@code SearchStepBench ALGO C LAYERS [batch warmup steps]}; prints one JSON line.
 */
public final class SearchStepBench {
    private SearchStepBench() {}

    public static void main(String[] args) throws Exception {
        String algo = args[0];
        int c = Integer.parseInt(args[1]);
        int layers = Integer.parseInt(args[2]);
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int steps = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        Engine.getInstance().setRandomSeed(2);
        ImageDataset all = Datasets.open("fashion-mnist", Split.TRAIN);
        int n = 2 * batch * (warmup + steps);
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        DataLoader loader = DataLoader.builder().setDataset(all.subset(first)).setBatchSize(batch)
                .optNormalization(Normalization.of(all)).build();
        SearchConfig config = SearchConfig.builder().setDataset("fashion-mnist").setAlgorithm(algo)
                .setOutDir(java.nio.file.Path.of(".")).optChannels(c).optLayers(layers).build().resolved();
        SearchAlgorithms.Kind kind = SearchAlgorithms.require(algo);
        SearchAlgorithm algorithm = kind.create(config);
        try (NDManager root = NDManager.newBaseManager(BenchDevice.resolve())) {
            SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(c)
                    .optLayers(layers).optPartialChannels(config.partialChannels()).build();
            int edges = net.edgesPerCell();
            int ops = Primitives.NAMES.size();
            Shape weights = new Shape(edges, ops);
            Shape[] inputs = kind.edgeWeights()
                    ? new Shape[] {new Shape(1, 1, 28, 28), weights, weights, new Shape(edges), new Shape(edges)}
                    : new Shape[] {new Shape(1, 1, 28, 28), weights, weights};
            net.initialize(root, DataType.FLOAT32, inputs);
            ArchitectureParameters arch = ArchitectureParameters.initialize(root, 4, ops, kind.edgeWeights(), 2);
            SgdUpdater sgd = SgdUpdater.builder().optMomentum(0.9).optWeightDecay(3e-4).build();
            AdamUpdater adam = AdamUpdater.builder().optBetas(0.5, 0.999).optWeightDecay(1e-3).build();
            long rssSetup = ProcessStats.peakRssKb();
            List<Double> times = new ArrayList<>();
            int misplaced;
            double kernelShare = Double.NaN;
            long peakKb;
            try (SearchModel model = new SearchModel(root, net, arch, sgd, adam, config.archLr(), 5)) {
                Iterator<Batch> it = loader.epoch(root, 0);
                for (int i = 0; i < warmup + steps; i++) {
                    try (Batch t = it.next(); Batch v = it.next(); NDManager m = root.newSubManager()) {
                        long t0 = System.nanoTime();
                        algorithm.step(model, t, v, new StepContext(m, 0, 0.025, true, new SplittableRandom(i)));
                        double dt = (System.nanoTime() - t0) / 1e9;
                        if (i >= warmup) {
                            times.add(dt);
                        }
                    }
                }
                // Before the profiled step, which is one step only: PyTorch's profiler keeps ~1.5 GB per
                // C=8 L=5 step of its own (the C=16 L=8 second-order row ran out of memory profiling two).
                peakKb = ProcessStats.peakRssKb();
                if (KernelShare.enabled()) {
                    Iterator<Batch> again = loader.epoch(root, 1);
                    kernelShare = KernelShare.of(() -> {
                        try (Batch t = again.next(); Batch v = again.next(); NDManager m = root.newSubManager()) {
                            algorithm.step(model, t, v, new StepContext(m, 1, 0.025, true, new SplittableRandom(0)));
                        }
                    });
                }
                List<NDArray> tensors = new ArrayList<>(model.allTensors());
                tensors.addAll(arch.tensors());
                misplaced = Placement.misplaced(root.getDevice(), tensors, root);
            }
            double total = times.stream().mapToDouble(Double::doubleValue).sum();
            List<Double> sorted = times.stream().sorted().toList();
            var out = new java.util.LinkedHashMap<String, Object>();
            out.put("impl", "proxynas-djl");
            out.put("mode", algo);
            out.put("C", c);
            out.put("layers", layers);
            out.put("batch", batch);
            out.put("steps", steps);
            out.put("s_per_step_mean", total / times.size());
            out.put("s_per_step_median", sorted.get(sorted.size() / 2));
            out.put("img_per_s", batch * times.size() / total);
            out.put("maxrss_mb_after_setup", rssSetup / 1024.0);
            out.put("maxrss_mb_peak", peakKb / 1024.0);
            out.put("device", root.getDevice().toString());
            out.put("misplaced_tensors", misplaced);
            out.put("kernel_share", kernelShare);
            System.out.println(Json.line(out));
        }
    }
}
