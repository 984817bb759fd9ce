package org.proxynas.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.Arrays;
import java.util.function.Function;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.SearchNetwork;
import org.proxynas.train.GenotypeNetwork;

/**
 * Seconds per forward + backward step (cross-entropy on random 1×28×28 images) of the supernet in DARTS
 * and PC-DARTS mode and of a DARTS_V2 network; bench/networks.sh runs the PyTorch reference alongside.
 * Prints "name median_seconds" lines. Usage: NetworksBench BATCH WARMUP STEPS
 */
public final class NetworksBench {
    private NetworksBench() {}

    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        Engine.getInstance().setRandomSeed(2);
        Shape x = new Shape(batch, 1, 28, 28);
        try (NDManager root = NDManager.newBaseManager()) {
            for (int partial : new int[] {1, 4}) {
                SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(8)
                        .optLayers(5).optPartialChannels(partial).build();
                int e = net.edgesPerCell();
                Shape[] shapes = partial == 1
                        ? new Shape[] {x, new Shape(e, 8), new Shape(e, 8)}
                        : new Shape[] {x, new Shape(e, 8), new Shape(e, 8), new Shape(e), new Shape(e)};
                net.initialize(root, DataType.FLOAT32, shapes);
                report(partial == 1 ? "supernet_darts_C8_L5" : "supernet_pcdarts_C8_L5", root, net, warmup, steps,
                        m -> searchInputs(m, x, e, partial > 1));
            }
            GenotypeNetwork eval = GenotypeNetwork.builder().setGenotype(Genotype.named("DARTS_V2")).setClasses(10)
                    .setInputChannels(1).optChannels(16).optLayers(8).build();
            eval.initialize(root, DataType.FLOAT32, x);
            report("darts_v2_C16_L8", root, eval, warmup, steps, m -> new NDList(m.randomNormal(x)));
        }
    }

    /** Inputs plus the architecture weights as leaves that need gradients, as the search passes them. */
    private static NDList searchInputs(NDManager m, Shape x, int edges, boolean edgeWeights) {
        NDList in = new NDList(m.randomNormal(x));
        NDArray[] alphas = edgeWeights
                ? new NDArray[] {m.randomNormal(new Shape(edges, 8)), m.randomNormal(new Shape(edges, 8)),
                    m.randomNormal(new Shape(edges)), m.randomNormal(new Shape(edges))}
                : new NDArray[] {m.randomNormal(new Shape(edges, 8)), m.randomNormal(new Shape(edges, 8))};
        for (NDArray a : alphas) {
            a.setRequiresGradient(true);
        }
        for (int i = 0; i < alphas.length; i++) {
            in.add(i < 2 ? alphas[i].softmax(1) : alphas[i].softmax(0));
        }
        return in;
    }

    private static void report(String name, NDManager root, Block net, int warmup, int steps,
            Function<NDManager, NDList> inputs) {
        Loss loss = Loss.softmaxCrossEntropyLoss();
        double[] seconds = new double[steps];
        for (int i = 0; i < warmup + steps; i++) {
            try (NDManager m = root.newSubManager()) {
                NDList in = inputs.apply(m);
                NDArray labels = m.randomInteger(0, 10, new Shape(in.get(0).getShape().get(0)), DataType.INT32);
                long t = System.nanoTime();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList out = net.forward(new ParameterStore(m, false), in, true);
                    gc.backward(loss.evaluate(new NDList(labels), new NDList(out.get(0))));
                }
                if (i >= warmup) {
                    seconds[i - warmup] = (System.nanoTime() - t) / 1e9;
                }
            }
        }
        Arrays.sort(seconds);
        System.out.printf("%s %.4f%n", name, seconds[steps / 2]);
    }
}
