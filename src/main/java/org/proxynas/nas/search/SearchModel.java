package org.proxynas.nas.search;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.proxynas.common.UserError;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.learn.AdamUpdater;
import org.proxynas.learn.GradientClipping;
import org.proxynas.learn.ParamGrad;
import org.proxynas.learn.SgdUpdater;
import org.proxynas.nas.space.OpSelection;
import org.proxynas.nas.space.Primitives;

/**
 * The trainable state of one search and the moves every algorithm is made of: the supernet's weights
 * with their SGD, the architecture parameters with their Adam, a forward pass with a given mixing, the
 * first-order architecture step and the weight step. Algorithms combine these; the second-order one also
 * reaches into the weights ({@link #weights()}) to unroll them, and SGAS narrows the supernet
 * ({@link #prune}).
 */
public final class SearchModel implements AutoCloseable {
    private static final Loss CROSS_ENTROPY = Loss.softmaxCrossEntropyLoss();
    private final Block network;
    private final ArchitectureParameters architecture;
    private final SgdUpdater weightOptimizer;
    private final AdamUpdater archOptimizer;
    private final double archLr;
    private final double gradClip;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> allParameters = new ArrayList<>();
    private final NDManager manager;
    private final ParameterStore store;
    private Pruning pruning;

    /**
     * @param network an initialized supernet taking {@code (x, mixing...)} and returning logits
     * @param architecture α (and β) matching the network's edges
     */
    public SearchModel(NDManager manager, Block network, ArchitectureParameters architecture, SgdUpdater weightOptimizer,
            AdamUpdater archOptimizer, double archLr, double gradClip) {
        this.network = network;
        this.architecture = architecture;
        this.weightOptimizer = weightOptimizer;
        this.archOptimizer = archOptimizer;
        this.archLr = archLr;
        this.gradClip = gradClip;
        for (Pair<String, Parameter> p : network.getParameters()) {
            allParameters.add(p.getValue());
            if (p.getValue().requiresGradient()) {
                weights.add(p.getValue());
            }
        }
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
    }

    public ArchitectureParameters architecture() {
        return architecture;
    }

    public SgdUpdater weightOptimizer() {
        return weightOptimizer;
    }

    /** The trainable supernet tensors (no BatchNorm running statistics), in a fixed order. */
    public List<NDArray> weights() {
        List<NDArray> out = new ArrayList<>(weights.size());
        for (Parameter p : weights) {
            out.add(p.getArray());
        }
        return out;
    }

    /** Every supernet tensor, running statistics included: what a snapshot must cover to undo a forward. */
    public List<NDArray> allTensors() {
        List<NDArray> out = new ArrayList<>(allParameters.size());
        for (Parameter p : allParameters) {
            out.add(p.getArray());
        }
        return out;
    }

    /** The weights with their gradients, ids the parameter paths; gradient handles belong to {@code step}. */
    public List<ParamGrad> weightGradients(NDManager step) {
        return ParamGrad.of(network, step);
    }

    /**
     * Cross-entropy of the supernet on {@code batch} with architecture {@code mixing}; batch-norm in train
     * mode. Every intermediate array belongs to {@code phase} (DJL attaches results to the first operand's
     * manager, so the input is copied there): closing it right after the backward pass frees the graph,
     * as PyTorch does, instead of keeping every pass of a step alive until the step ends.
     */
    public NDArray loss(NDManager phase, Batch batch, Mixing mixing) {
        return lossAndLogits(phase, batch, mixing, true).get(0);
    }

    /** As {@link #loss}, with batch-norm in inference mode (SDARTS-ADV's attack). */
    public NDArray inferenceLoss(NDManager phase, Batch batch, Mixing mixing) {
        return lossAndLogits(phase, batch, mixing, false).get(0);
    }

    /**
     * The supernet's logits on {@code batch} with batch-norm in inference mode: what a re-selection of the proxy
     * scores examples by. Changes no state (running statistics included).
     */
    public NDArray inferenceLogits(NDManager phase, Batch batch, Mixing mixing) {
        return lossAndLogits(phase, batch, mixing, false).get(1);
    }

    private NDList lossAndLogits(NDManager phase, Batch batch, Mixing mixing, boolean training) {
        NDList input = new NDList(1 + mixing.weights().size());
        NDArray images = batch.images().duplicate();
        images.attach(phase);
        input.add(images);
        input.addAll(mixing.weights());
        PairList<String, Object> params = mixing.ops() == null ? null : mixing.ops().asForwardParameters();
        NDArray logits = network.forward(store, input, training, params).singletonOrThrow();
        NDArray loss = CROSS_ENTROPY.evaluate(new NDList(batch.labels()), new NDList(logits));
        return new NDList(loss, logits);
    }

    /**
     * The current mixing, built from the live α (and β) in {@code phase}: inside a gradient collector the
     * gradient reaches them, outside one it is a constant (what a weight step sees). On a pruned supernet,
     * edges fixed to one operation get weight 1 on it and no gradient.
     */
    public Mixing mixing(NDManager phase) {
        NDList weights = architecture.mixingWeights();
        weights.attach(phase);
        return pruning == null ? Mixing.dense(weights) : pruning.apply(weights);
    }

    /**
     * One Adam step on α (and β) from the gradient of the loss on {@code val} (DARTS'
     * {@code _backward_step}).
     */
    public void firstOrderArchitectureStep(NDManager step, Batch val) {
        architecture.zeroGradients();
        try (NDManager phase = step.newSubManager()) {
            backwardWithoutWeights(() -> loss(phase, val, mixing(phase)));
        }
        architectureStep(step);
    }

    /**
     * Back-propagates the loss that {@code pass} computes into what requires a gradient besides the weights (α
     * and β, or a mixing being attacked), not into the weights: they stop requiring a gradient for the pass, so
     * autograd skips the weight gradients that an architecture step would throw away (DARTS' first-order step
     * computes them and zeroes them before the weight step), and every operation before the first mixing (the
     * stem) drops out of the backward pass. The gradients it computes are the same, bit for bit.
     */
    public void backwardWithoutWeights(Supplier<NDArray> pass) {
        setWeightsRequireGradient(false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(pass.get());
        } finally {
            setWeightsRequireGradient(true);
        }
    }

    private void setWeightsRequireGradient(boolean required) {
        for (Parameter p : weights) {
            p.getArray().setRequiresGradient(required);
        }
    }

    /** One Adam step on α (and β) with the gradients the last backward pass left on them. */
    public void architectureStep(NDManager step) {
        adamStep(architecture.withGradients(step));
    }

    /** One Adam step on α (and β) with the given gradients (the second-order hypergradient). */
    public void architectureStep(List<NDArray> grads) {
        adamStep(architecture.withGradients(grads));
    }

    private void adamStep(List<ParamGrad> params) {
        archOptimizer.step(params, archLr);
        if (pruning != null) {
            pruning.holdFixedRows(architecture.tensors());
        }
    }

    /**
     * Narrows the supernet for every later pass: each edge evaluates what {@code fixed} says, an edge fixed
     * to one operation with weight 1, and the α rows of edges that no longer mix stop moving (SGAS' decided
     * and pruned edges, which it takes out of the architecture optimizer). Calling it again with the same
     * selection changes nothing.
     */
    public void prune(OpSelection fixed) {
        if (pruning != null && pruning.ops().equals(fixed)) {
            return;
        }
        if (pruning != null) {
            pruning.close();
        }
        pruning = Pruning.of(manager, fixed, architecture.tensors(), Primitives.NAMES.size());
    }

    /**
     * One SGD step on the weights from the loss on {@code train} under {@code mixing} (constants), with
     * global-norm clipping; returns the batch's loss and hits.
     */
    public StepStats weightStep(NDManager step, Batch train, Mixing mixing, double lr) {
        zeroWeightGradients(step);
        StepStats stats;
        try (NDManager phase = step.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList out = lossAndLogits(phase, train, mixing, true);
                gc.backward(out.get(0));
                stats = StepStats.of(out.get(0), out.get(1), train);
            }
        }
        List<ParamGrad> grads = weightGradients(step);
        GradientClipping.clipGlobalNorm(grads, gradClip);
        weightOptimizer.step(grads, lr);
        return stats;
    }

    /** Loss and hits on {@code batch} with batch-norm in inference mode (DARTS' {@code infer}). */
    public StepStats evaluate(NDManager step, Batch batch, Mixing mixing) {
        try (NDManager phase = step.newSubManager()) {
            NDList out = lossAndLogits(phase, batch, mixing, false);
            return StepStats.of(out.get(0), out.get(1), batch);
        }
    }

    /** Zeroes the weights' accumulated gradients (PyTorch accumulates across backward passes). */
    public void zeroWeightGradients(NDManager step) {
        for (ParamGrad p : weightGradients(step)) {
            p.grad().subi(p.grad());
        }
    }

    /** Supernet tensors (running statistics included), α/β and both optimizers, in one stream. */
    public void saveState(DataOutputStream out) throws IOException {
        out.writeInt(allParameters.size());
        for (Parameter p : allParameters) {
            out.writeUTF(p.getName());
            byte[] bytes = p.getArray().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        architecture.saveState(out);
        weightOptimizer.saveState(out);
        archOptimizer.saveState(out);
    }

    /** Restores what {@link #saveState} wrote, in place, so the parameter store keeps seeing the same tensors. */
    public void loadState(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n != allParameters.size()) {
            throw new UserError("checkpoint: expected " + allParameters.size() + " supernet tensors, found " + n);
        }
        for (Parameter p : allParameters) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            NDArray target = p.getArray();
            try (NDArray loaded = NDArray.decode(target.getManager(), bytes)) {
                if (!name.equals(p.getName()) || !loaded.getShape().equals(target.getShape())) {
                    throw new UserError("checkpoint: expected tensor " + p.getName() + " " + target.getShape()
                            + ", found " + name + " " + loaded.getShape());
                }
                target.subi(target).addi(loaded);
            }
        }
        architecture.loadState(in);
        weightOptimizer.loadState(in);
        archOptimizer.loadState(in);
    }

    @Override
    public void close() {
        if (pruning != null) {
            pruning.close();
        }
        weightOptimizer.close();
        archOptimizer.close();
        architecture.close();
    }

    /**
     * The constants of a pruned supernet, per cell type: {@code keep} is 1 on the rows of edges that still
     * mix and 0 elsewhere, {@code fixedWeights} 1 where an edge is fixed to one operation, {@code heldAlpha}
     * α at pruning time on the fixed rows and 0 elsewhere. Mixing and α updates are then exact products and
     * sums with them: rows that still mix pass unchanged.
     */
    private record Pruning(OpSelection ops, NDManager manager, List<NDArray> keep, List<NDArray> fixedWeights,
            List<NDArray> heldAlpha) implements AutoCloseable {

        static Pruning of(NDManager parent, OpSelection ops, List<NDArray> alpha, int columns) {
            NDManager m = parent.newSubManager();
            List<NDArray> keep = new ArrayList<>();
            List<NDArray> fixedWeights = new ArrayList<>();
            List<NDArray> heldAlpha = new ArrayList<>();
            for (boolean reduction : new boolean[] {false, true}) {
                float[] keepRows = new float[ops.edges() * columns];
                float[] fixedRows = new float[ops.edges() * columns];
                float[] heldRows = new float[ops.edges() * columns];
                for (int e = 0; e < ops.edges(); e++) {
                    int choice = ops.of(reduction, e);
                    for (int k = 0; k < columns; k++) {
                        keepRows[e * columns + k] = choice == OpSelection.ALL ? 1 : 0;
                        fixedRows[e * columns + k] = choice == k ? 1 : 0;
                        heldRows[e * columns + k] = 1 - keepRows[e * columns + k];
                    }
                }
                Shape shape = new Shape(ops.edges(), columns);
                keep.add(m.create(keepRows, shape));
                fixedWeights.add(m.create(fixedRows, shape));
                try (NDArray fixedRowMask = m.create(heldRows, shape)) {
                    NDArray held = alpha.get(reduction ? 1 : 0).mul(fixedRowMask);
                    held.attach(m);
                    heldAlpha.add(held);
                }
            }
            return new Pruning(ops, m, keep, fixedWeights, heldAlpha);
        }

        /** softmax(α) rows of mixing edges as they are, fixed rows one-hot; β̂ untouched. */
        Mixing apply(NDList weights) {
            NDList out = new NDList(weights.size());
            for (int t = 0; t < weights.size(); t++) {
                out.add(t < 2 ? weights.get(t).mul(keep.get(t)).add(fixedWeights.get(t)) : weights.get(t));
            }
            return new Mixing(out, ops);
        }

        /** Puts the α rows of fixed edges back where they were when they were fixed. */
        void holdFixedRows(List<NDArray> alpha) {
            for (int t = 0; t < 2; t++) {
                alpha.get(t).muli(keep.get(t)).addi(heldAlpha.get(t));
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
