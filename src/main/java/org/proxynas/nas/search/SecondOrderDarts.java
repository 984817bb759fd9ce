package org.proxynas.nas.search;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.learn.ParamGrad;
import org.proxynas.learn.SgdUpdater;

/**
 * DARTS, second order (DARTS' {@code architect._backward_step_unrolled}): the architecture follows the
 * gradient of {@code L_val(w'(α), α)} where {@code w' = w − ξ(momentum·buf + ∇w L_train + wd·w)} is one
 * unrolled SGD step at the current weight learning rate ξ. By the chain rule that gradient is
 * {@code ∇α L_val(w', α) − ξ ∇²_{α,w} L_train(w, α) · ∇w' L_val(w', α)}; the Hessian-vector product is a
 * central finite difference with {@code R = 0.01/‖∇w' L_val‖}:
 * {@code (∇α L_train(w + R·v, α) − ∇α L_train(w − R·v, α)) / 2R}.
 *
 * <p>Unlike DARTS, which builds a throwaway copy of the network for w', we move the weights of the one
 * supernet to w' and back, restoring every tensor (running statistics included) from a snapshot, so the
 * architecture step leaves the supernet exactly as it found it (DARTS' two finite-difference forwards also
 * nudge its batch-norm running averages; ours do not).
 */
final class SecondOrderDarts implements SearchAlgorithm {
    static final double R_SCALE = 0.01;

    @Override
    public String name() {
        return "darts-2nd";
    }

    @Override
    public StepStats step(SearchModel model, Batch train, Batch val, StepContext context) {
        NDManager m = context.manager();
        if (context.updateArchitecture()) {
            model.architectureStep(hypergradient(model, train, val, context.weightLr(), m));
        }
        return model.weightStep(m, train, model.mixing(m), context.weightLr());
    }

    /** The unrolled architecture gradient, one array per architecture tensor; the model is left unchanged. */
    static List<NDArray> hypergradient(SearchModel model, Batch train, Batch val, double xi, NDManager m) {
        ArchitectureParameters arch = model.architecture();
        List<NDArray> tensors = model.allTensors();
        List<NDArray> snapshot = copies(tensors, m);

        unroll(model, train, xi, m);
        arch.zeroGradients();
        model.zeroWeightGradients(m);
        try (NDManager phase = m.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(model.loss(phase, val, model.mixing(phase)));
        }
        List<NDArray> dAlpha = arch.gradientCopies(m);
        List<NDArray> v = new ArrayList<>();
        for (ParamGrad p : model.weightGradients(m)) {
            v.add(p.grad().duplicate());
        }
        restore(tensors, snapshot);

        double r = R_SCALE / globalNorm(v);
        List<NDArray> w = model.weights();
        shift(w, v, r);
        List<NDArray> plus = trainGradientOfArchitecture(model, train, m);
        shift(w, v, -2 * r);
        List<NDArray> minus = trainGradientOfArchitecture(model, train, m);
        restore(tensors, snapshot);

        List<NDArray> out = new ArrayList<>(dAlpha.size());
        double scale = xi / (2 * r);
        for (int i = 0; i < dAlpha.size(); i++) {
            out.add(dAlpha.get(i).sub(plus.get(i).sub(minus.get(i)).muli(scale)));
        }
        return out;
    }

    /**
     * Moves the weights to w' by taking one step of the real SGD at learning rate ξ and then putting its
     * state back: PyTorch's SGD step is exactly DARTS' {@code _compute_unrolled_model} (momentum·buf
     * + g + wd·w, with buf absent before the first step), and this keeps one definition of it.
     */
    static void unroll(SearchModel model, Batch train, double xi, NDManager m) {
        SgdUpdater sgd = model.weightOptimizer();
        byte[] state = saved(sgd);
        model.zeroWeightGradients(m);
        try (NDManager phase = m.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(model.loss(phase, train, model.mixing(phase)));
        }
        sgd.step(model.weightGradients(m), xi);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            sgd.loadState(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] saved(SgdUpdater sgd) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            sgd.saveState(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<NDArray> trainGradientOfArchitecture(SearchModel model, Batch train, NDManager m) {
        ArchitectureParameters arch = model.architecture();
        arch.zeroGradients();
        try (NDManager phase = m.newSubManager()) {
            model.backwardWithoutWeights(() -> model.loss(phase, train, model.mixing(phase)));
        }
        return arch.gradientCopies(m);
    }

    private static List<NDArray> copies(List<NDArray> tensors, NDManager m) {
        List<NDArray> out = new ArrayList<>(tensors.size());
        for (NDArray t : tensors) {
            NDArray c = t.duplicate();
            c.attach(m);
            out.add(c);
        }
        return out;
    }

    /** In place, exactly: {@code t ← 0 + s}. */
    private static void restore(List<NDArray> tensors, List<NDArray> snapshot) {
        for (int i = 0; i < tensors.size(); i++) {
            tensors.get(i).subi(tensors.get(i)).addi(snapshot.get(i));
        }
    }

    private static void shift(List<NDArray> w, List<NDArray> v, double scale) {
        for (int i = 0; i < w.size(); i++) {
            try (NDArray step = v.get(i).mul(scale)) {
                w.get(i).addi(step);
            }
        }
    }

    private static double globalNorm(List<NDArray> v) {
        NDList norms = new NDList(v.size());
        for (NDArray a : v) {
            norms.add(a.norm());
        }
        try (NDArray stacked = NDArrays.stack(norms); NDArray total = stacked.norm()) {
            return total.getFloat();
        } finally {
            norms.close();
        }
    }
}
