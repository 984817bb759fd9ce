package org.proxynas.bench;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.RunContext;
import org.proxynas.data.Fixtures;
import org.proxynas.inference.ExportConfig;
import org.proxynas.inference.ExportJob;
import org.proxynas.inference.ExportResult;
import org.proxynas.inference.ProxyNasModel;
import org.proxynas.nas.space.Genotype;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;
import org.proxynas.train.NetworkSpec;

/**
 * Inference throughput of DARTS_V2 (C=36, L=20, CIFAR-shaped 3×32×32 inputs) in DJL's PyTorch engine and, exported,
 * in ONNX Runtime, at batch 1 and 64, and the export's wall time. The network is trained for one epoch on 64 random
 * images (the throughput does not depend on the weights), so the model directory is the one a training writes.
 * Prints "key value..." lines for bench/export.sh. Usage: ExportBench WORKDIR THREADS[,THREADS...] WARMUP ITERATIONS
 */
public final class ExportBench {
    private static final int[] BATCHES = {1, 64};

    private ExportBench() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int[] threadCounts = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int warmup = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        Path data = work.resolve("cifar");
        Fixtures.writeCifar10(data, Fixtures.random("train", 64, 3, 32, 32, 10, 1),
                Fixtures.random("test", 16, 3, 32, 32, 10, 2), null);
        Path train = work.resolve("train");
        TrainJob.run(TrainConfig.builder().setDataset("cifar10:" + data)
                .setNetwork(new NetworkSpec.Cells("DARTS_V2", Genotype.named("DARTS_V2"), 20, 36, null))
                .setOutputDir(train).optEpochs(1).optBatchSize(32).build());
        Path model = train.resolve(ModelDirectory.DIR);
        Path onnx = work.resolve("darts_v2.onnx");

        double[] exports = new double[3];
        ExportResult exported = null;
        for (int i = 0; i < exports.length; i++) {
            exported = ExportJob.run(new ExportConfig(model, onnx), RunContext.DEFAULT);
            exports[i] = exported.seconds();
        }
        System.out.printf(Locale.ROOT, "export_seconds %.3f %.3f%n", exports[0], median(exports));
        System.out.printf(Locale.ROOT, "onnx %s %d %d%n", onnx, exported.bytes(), exported.nodes());

        ComputeDevice.CPU.resolve();
        ModelManifest manifest = ModelDirectory.read(model);
        OrtEnvironment ort = OrtEnvironment.getEnvironment();
        try (ZooModel<Image, Classifications> djl = ProxyNasModel.load(model)) {
            for (int threads : threadCounts) {
                JniUtils.setNumThreads(threads);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                try (OrtSession session = ort.createSession(onnx.toString(), options)) {
                    for (int batch : BATCHES) {
                        // large batches take seconds per run: fewer of them
                        int runs = batch == 1 ? iterations : Math.max(3, iterations / 3);
                        int warm = batch == 1 ? warmup : 1;
                        measure(djl, session, ort, images(manifest, batch), batch, threads, warm, runs);
                    }
                }
            }
        }
    }

    /** {@code batch} random images (uniform pixels, like the training data) normalized as the model's are. */
    private static float[] images(ModelManifest manifest, int batch) {
        byte[] pixels = new byte[3 * 32 * 32];
        float[] images = new float[batch * pixels.length];
        SplittableRandom random = new SplittableRandom(batch);
        for (int i = 0; i < batch; i++) {
            random.nextBytes(pixels);
            System.arraycopy(manifest.normalization().apply(pixels), 0, images, i * pixels.length, pixels.length);
        }
        return images;
    }

    /** Prints "threads T batch B djl_seconds ort_seconds max_abs_difference max_abs_logit", medians of runs. */
    private static void measure(ZooModel<Image, Classifications> djl, OrtSession session, OrtEnvironment ort,
            float[] images, int batch, int threads, int warmup, int runs) throws Exception {
        long[] shape = {batch, 3, 32, 32};
        float[] djlLogits = new float[0];
        double[] djlSeconds = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            try (NDManager step = djl.getNDManager().newSubManager()) {
                NDArray x = step.create(FloatBuffer.wrap(images), new Shape(shape));
                long start = System.nanoTime();
                NDArray logits = djl.getBlock().forward(new ParameterStore(step, false), new NDList(x), false)
                        .singletonOrThrow();
                djlLogits = logits.toFloatArray();
                if (i >= 0) {
                    djlSeconds[i] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        float[] ortLogits = new float[0];
        double[] ortSeconds = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            try (OnnxTensor x = OnnxTensor.createTensor(ort, FloatBuffer.wrap(images), shape)) {
                long start = System.nanoTime();
                try (OrtSession.Result out = session.run(Map.of("images", x))) {
                    ortLogits = flatten((float[][]) out.get(0).getValue());
                }
                if (i >= 0) {
                    ortSeconds[i] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        double diff = 0;
        double largest = 0;
        for (int i = 0; i < djlLogits.length; i++) {
            diff = Math.max(diff, Math.abs(djlLogits[i] - ortLogits[i]));
            largest = Math.max(largest, Math.abs(djlLogits[i]));
        }
        System.out.printf(Locale.ROOT, "threads %d batch %d %.4f %.4f %.2e %.2f%n", threads, batch,
                median(djlSeconds), median(ortSeconds), diff, largest);
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        return flat;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
