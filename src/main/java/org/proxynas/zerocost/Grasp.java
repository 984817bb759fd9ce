package org.proxynas.zerocost;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.learn.ForwardHooks;

/**
 * grasp (Wang et al., ICLR 2020, "Picking winning tickets before training by preserving gradient flow"; as a
 * zero-cost proxy, Abdelfattah et al., ICLR 2021): −Σ over convolution and linear weights of θ ⊙ Hg, where g = ∂L/∂θ
 * and H = ∂²L/∂θ² are the cross-entropy's gradient and Hessian with respect to those weights (all of them together),
 * the network in training mode; that is −θᵀHg. The sign is the authors' (mohsaied/zero-cost-nas, {@code grasp.py}:
 * "accuracy seems to be negatively correlated with this metric, so we add -ve sign"); larger is better. Over several
 * batches L is the sum of the batches' losses: g = Σ_b g_b and the score −Σ_b θᵀH_b g. (The authors' code, when it
 * splits a batch, resets g inside its loop over the parts and keeps the last part's; with one batch, their default,
 * the two agree.)
 *
 * <p>How: the authors call {@code autograd.grad(create_graph=True)}, which DJL does not offer. DJL's backward with
 * {@code create_graph} stores a differentiable gradient in each leaf's {@code .grad}, a reference cycle that PyTorch
 * frees only when the {@code .grad} is reset, which DJL cannot do: on the weights, it would keep the whole graph and
 * its activations. So the second derivative is taken along two scalar leaves instead: the weights become
 * θ + εg + δθ with ε = δ = 0 (the same values, bit for bit); a backward with {@code create_graph}, ε not collecting,
 * gives ∂L/∂δ = θ·∇L as a differentiable scalar, and its backward gives ∂²L/∂ε∂δ = θᵀHg as ε's gradient. Exact, no
 * finite difference. Only δ keeps a cycle, holding the graph's nodes after that second backward has freed their saved
 * tensors: about 0.1 MB per batch on a C=4, L=3 network. libtorch warns about the cycle once per process.
 *
 * <p>Precision: float64 throughout, where the authors compute in float32. The terms of θᵀHg cancel: on DARTS cells
 * (C=8, L=5, one batch of 64) Σ|θ ⊙ Hg| is 60 to 22,000 times |θᵀHg|, and float32 results, PyTorch's and ours,
 * lie 4·10⁻⁵ to 1.5·10⁻³ (relative) from the float64 value and from each other (bench/results/zero-cost.md). In
 * float64 the measure is the same function, without that noise, at about 2.5 times the float32 cost.
 */
final class Grasp implements ZeroCostMeasure {
    static final String NAME = "grasp";
    /** Float64 throughout: the sum −θᵀHg cancels (see the class comment). */
    private static final DataType PRECISION = DataType.FLOAT64;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        List<Layer> layers = Layer.of(network);
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> gradients = Passes.weightGradients(network, layers, scope, batches, PRECISION);
            Map<Parameter, NDArray> gradientOf = new IdentityHashMap<>();
            for (int l = 0; l < layers.size(); l++) {
                gradientOf.put(layers.get(l).weight(), gradients.get(l));
            }
            double grasp = 0;
            for (Minibatch batch : batches) {
                grasp -= curvatureAlongGradient(network, scope, batch, gradientOf);
            }
            return grasp;
        }
    }

    /** θᵀ H_b g for batch b's loss, θ and g restricted to the weights {@code gradientOf} holds. */
    private static double curvatureAlongGradient(Block network, NDManager scope, Minibatch batch,
            Map<Parameter, NDArray> gradientOf) {
        try (NDManager pass = scope.newSubManager()) {
            batch.lendTo(pass);
            NDArray epsilon = pass.zeros(new Shape(), PRECISION);
            NDArray delta = pass.zeros(new Shape(), PRECISION);
            epsilon.setRequiresGradient(true);
            delta.setRequiresGradient(true);
            MeasureStore store = new MeasureStore(pass, PRECISION, (parameter, theta) -> {
                NDArray g = gradientOf.get(parameter);
                // θ + ε·g + δ·θ: both terms are exact zeros, so the forward pass sees θ bit for bit; ε first, so
                // that the product belongs to the pass
                return g == null ? theta : theta.add(epsilon.mul(g)).add(theta.mul(delta));
            }, ForwardHooks.NONE);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = Passes.loss(network, store, batch, PRECISION);
                epsilon.setRequiresGradient(false);
                backward(loss, true);
                NDArray directional = delta.getGradient();
                epsilon.setRequiresGradient(true);
                delta.setRequiresGradient(false);
                backward(directional, false);
                return epsilon.getGradient().getDouble();
            }
        }
    }

    /** Backward from a scalar; {@code createGraph} keeps the forward graph and records the gradient's own. */
    private static void backward(NDArray scalar, boolean createGraph) {
        NDArray one = scalar.getManager().ones(scalar.getShape(), scalar.getDataType());
        JniUtils.backward((PtNDArray) scalar, (PtNDArray) one, createGraph, createGraph);
    }
}
