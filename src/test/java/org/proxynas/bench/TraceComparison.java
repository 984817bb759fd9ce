package org.proxynas.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.proxynas.bench.TrainBench.Row;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.learn.TrainingRecipe;

/**
 * ProxyNAS's network against the reference network's TorchScript trace, both in libtorch 2.7.1, in one process
 * and round by round: what ProxyNAS's network code (one JNI call and Java objects per operator, its blocks'
 * bookkeeping) costs beyond the same operators run by libtorch's interpreter. Separate processes, as in
 * {@code LIMIT=1 bench/compare.sh}, differ by up to 30% from run to run on a shared 2-core machine; rounds of a
 * second or two alternated in one process see the same load, so the median of their ratios resolves a few percent.
 *
 * <p>Usage: {@code TraceComparison DIR resnet20|darts CxHxW BATCH WARMUP STEPS [C LAYERS]}, the traces in DIR
 * written by {@code bench/train_reference.py --torchscript DIR} for the same row; {@code -Dbench.rounds} rounds
 * (default 9) of STEPS training batches, then of STEPS inference batches, each side in turn, the side that starts a
 * round alternating. One JSON line: each side's median images/s, the median (range) of the rounds' ratios
 * ProxyNAS / trace, and each side's median minor page faults per batch. {@code bench/trace-comparison.sh} runs
 * the rows.
 */
public final class TraceComparison {
    private TraceComparison() {}

    public static void main(String[] args) throws IOException {
        String dir = args[0];
        Row row = Row.parse(Arrays.copyOfRange(args, 1, args.length));
        int rounds = Integer.getInteger("bench.rounds", 9);
        try (NDManager manager = NDManager.newBaseManager(BenchDevice.resolve());
                Model trainTrace = TrainBench.trace(dir, row.model() + "-train", manager);
                Model evalTrace = TrainBench.trace(dir, row.model() + "-eval", manager)) {
            Block ours = TrainBench.network(row);
            Normalization norm = Normalization.none(row.c());
            TrainingRecipe config = TrainBench.config(row, norm);
            ImageDataset warmSet = TrainBench.images(row, row.warmup());
            ImageDataset stepSet = TrainBench.images(row, row.steps());
            ToDoubleFunction<Block> train = net -> {
                try {
                    return TrainBench.run(net, stepSet, config, manager).last().imagesPerSecond();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            };
            for (Block net : new Block[] {ours, trainTrace.getBlock()}) {
                TrainBench.run(net, warmSet, config, manager);
            }
            Rounds training = alternate(rounds, train, ours, trainTrace.getBlock());
            ToDoubleFunction<Block> infer = net -> TrainBench.inferenceRate(net, stepSet, norm, row.batch(), manager);
            Block tracedInference = inferenceSide(evalTrace.getBlock(), manager);
            for (Block net : new Block[] {ours, tracedInference}) {
                TrainBench.inferenceRate(net, warmSet, norm, row.batch(), manager);
            }
            Rounds inference = alternate(rounds, infer, ours, tracedInference);
            double batches = row.steps();
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\":\"proxynas-vs-trace\",%s,\"rounds\":%d,\"train_img_per_s\":%.1f,"
                            + "\"trace_train_img_per_s\":%.1f,\"train_ratio\":%s,\"infer_img_per_s\":%.1f,"
                            + "\"trace_infer_img_per_s\":%.1f,\"infer_ratio\":%s,\"train_faults_per_batch\":%.0f,"
                            + "\"trace_train_faults_per_batch\":%.0f,\"infer_faults_per_batch\":%.0f,"
                            + "\"trace_infer_faults_per_batch\":%.0f,\"trace_inference_mode\":%b,\"threads\":\"%s\"}",
                    row.json(), rounds, TrainBench.median(training.rates[0]), TrainBench.median(training.rates[1]),
                    training.ratios(), TrainBench.median(inference.rates[0]), TrainBench.median(inference.rates[1]),
                    inference.ratios(), TrainBench.median(training.faults[0]) / batches,
                    TrainBench.median(training.faults[1]) / batches, TrainBench.median(inference.faults[0]) / batches,
                    TrainBench.median(inference.faults[1]) / batches, !Boolean.getBoolean("bench.traceNoGrad"),
                    System.getProperty("ai.djl.pytorch.num_threads", "default")));
        }
    }

    /**
     * The evaluation trace as DJL runs a module without autograd: under libtorch's {@code InferenceMode}, which
     * skips autograd's bookkeeping (version counters, the autograd dispatch key) that ProxyNAS's own operators
     * pay under plain no-grad mode, since DJL's JNI has no other entry into it. With {@code -Dbench.traceNoGrad}
     * the trace runs as a training-mode call with autograd off instead: its graph is the evaluation one either
     * way (a trace fixes batch norm's mode), so the two runs differ by InferenceMode alone.
     */
    private static Block inferenceSide(Block trace, NDManager manager) {
        if (!Boolean.getBoolean("bench.traceNoGrad")) {
            return trace;
        }
        ParameterStore store = new ParameterStore(manager, false);
        return new LambdaBlock(inputs -> {
            JniUtils.setGradMode(false);
            return trace.forward(store, inputs, true);
        });
    }

    /**
     * Each round's images/s and minor page faults of side 0 ({@code a}) and side 1 ({@code b}); odd rounds run
     * {@code b} first, so drift favours neither.
     */
    private static Rounds alternate(int rounds, ToDoubleFunction<Block> rate, Block a, Block b) {
        Rounds out = new Rounds(new double[2][rounds], new double[2][rounds]);
        for (int r = 0; r < rounds; r++) {
            for (int side : r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                long faults = ProcessStats.minorFaults();
                out.rates[side][r] = rate.applyAsDouble(side == 0 ? a : b);
                out.faults[side][r] = ProcessStats.minorFaults() - faults;
            }
        }
        return out;
    }

    private record Rounds(double[][] rates, double[][] faults) {

        /** The rounds' ratios side 0 / side 1 as JSON: median, min, max. */
        String ratios() {
            double[] ratio = new double[rates[0].length];
            for (int r = 0; r < ratio.length; r++) {
                ratio[r] = rates[0][r] / rates[1][r];
            }
            return String.format(Locale.ROOT, "{\"median\":%.3f,\"min\":%.3f,\"max\":%.3f}",
                    TrainBench.median(ratio), Arrays.stream(ratio).min().orElseThrow(),
                    Arrays.stream(ratio).max().orElseThrow());
        }
    }
}
