package org.proxynas.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.proxynas.nas.space.SearchNetwork;

/**
 * Diagnostic for garbage gradients in the supernet: forward/backward passes through a small 4-node
 * supernet on random data, printing the largest stem-weight gradient after each pass. Healthy runs stay
 * near 1. Before the fix in {@code Zero} (a scalar freed while autograd still held it) single passes
 * added 1e11-1e30 or NaN. Not part of the test suite: run {@code bench/supernet-gradients.sh}.
 */
public final class SupernetGradientCheck {
    private SupernetGradientCheck() {}

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (NDManager m = NDManager.newBaseManager()) {
            SearchNetwork net = SearchNetwork.builder().setClasses(10).setInputChannels(1).optChannels(4)
                    .optLayers(3).optNodes(nodes).optMultiplier(nodes).build();
            int e = net.edgesPerCell();
            net.initialize(m, DataType.FLOAT32, new Shape(32, 1, 28, 28), new Shape(e, 8), new Shape(e, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray stem = net.getParameters().get(0).getValue().getArray();
            StringBuilder out = new StringBuilder("nodes " + nodes + ", max |grad| of the stem after each pass:");
            for (int t = 0; t < passes; t++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = s.randomNormal(new Shape(32, 1, 28, 28));
                    NDArray y = s.randomInteger(0, 10, new Shape(32, 1), DataType.INT64);
                    NDArray normal = s.randomNormal(new Shape(e, 8)).mul(1e-3f).softmax(1);
                    NDArray reduce = s.randomNormal(new Shape(e, 8)).mul(1e-3f).softmax(1);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.forward(ps, new NDList(x, normal, reduce), true).head();
                        NDArray loss = logits.logSoftmax(1).get(new NDIndex().addPickDim(y)).neg().mean();
                        gc.backward(loss);
                    }
                    out.append(' ').append(stem.getGradient().abs().max().getFloat());
                }
            }
            System.out.println(out);
        }
    }
}
