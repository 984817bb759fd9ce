package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.proxynas.common.UserError;
import org.proxynas.learn.Checkpointable;
import org.proxynas.learn.ParamGrad;
import org.proxynas.nas.space.Operations;

/**
 * The architecture parameters of a search, shared by every cell of a type: α (edges × ops) for normal
 * and reduction cells and, for PC-DARTS, the edge weights β (one per edge). They live here rather than in
 * the supernet because DJL has no parameter sharing across blocks; the supernet receives them already
 * normalized ({@link #mixingWeights}).
 */
public final class ArchitectureParameters implements Checkpointable, AutoCloseable {
    private static final String[] NAMES = {"alpha_normal", "alpha_reduce", "beta_normal", "beta_reduce"};
    private final NDManager manager;
    private final int nodes;
    private final int edges;
    private final int ops;
    private final List<NDArray> tensors;

    private ArchitectureParameters(NDManager manager, int nodes, int ops, List<NDArray> tensors) {
        this.manager = manager;
        this.nodes = nodes;
        this.edges = edgesOf(nodes);
        this.ops = ops;
        this.tensors = tensors;
    }

    /** Incoming edges of all intermediate nodes: node i has 2 + i inputs. */
    public static int edgesOf(int nodes) {
        return nodes * (nodes + 3) / 2;
    }

    /**
     * α ~ 1e-3·N(0,1) for both cell types (DARTS), plus β ~ 1e-3·N(0,1) when {@code edgeWeights}
     * (PC-DARTS). Drawn from a Java generator so the initial architecture depends on the seed only.
     */
    public static ArchitectureParameters initialize(NDManager parent, int nodes, int ops, boolean edgeWeights,
            long seed) {
        Random rng = new Random(seed);
        int edges = edgesOf(nodes);
        NDManager manager = parent.newSubManager();
        List<NDArray> tensors = new ArrayList<>();
        int count = edgeWeights ? 4 : 2;
        for (int t = 0; t < count; t++) {
            boolean alpha = t < 2;
            float[] values = new float[alpha ? edges * ops : edges];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (1e-3 * rng.nextGaussian());
            }
            NDArray a;
            try (NDArray fromJava = manager.create(values, alpha ? new Shape(edges, ops) : new Shape(edges))) {
                a = aligned(fromJava);
            }
            a.setRequiresGradient(true);
            tensors.add(a);
        }
        return new ArchitectureParameters(manager, nodes, ops, tensors);
    }

    /** The live α (and β) tensors, in {@link #mixingWeights()} order: for inspection, not for updates. */
    public List<NDArray> tensors() {
        return List.copyOf(tensors);
    }

    /**
     * A copy in memory the engine allocated. Arrays made from Java data wrap a direct buffer whose
     * alignment depends on the JVM's history, and vectorized kernels round differently at different
     * alignments: two identical searches in one process would drift apart in the last bits.
     */
    static NDArray aligned(NDArray fromJava) {
        NDArray copy = fromJava.duplicate();
        copy.attach(fromJava.getManager());
        return copy;
    }

    public boolean hasEdgeWeights() {
        return tensors.size() == 4;
    }

    public int edges() {
        return edges;
    }

    /**
     * What the supernet's forward takes after the input: softmax(α_normal), softmax(α_reduce) and, with
     * edge weights, β̂_normal, β̂_reduce (softmax of β over each node's incoming edges, as PC-DARTS). Built
     * from the live tensors, so inside a gradient collector the gradient reaches α and β.
     */
    public NDList mixingWeights() {
        NDList out = new NDList(tensors.size());
        out.add(tensors.get(0).softmax(-1));
        out.add(tensors.get(1).softmax(-1));
        if (hasEdgeWeights()) {
            out.add(perNodeSoftmax(tensors.get(2)));
            out.add(perNodeSoftmax(tensors.get(3)));
        }
        return out;
    }

    private NDArray perNodeSoftmax(NDArray beta) {
        // The slices and their softmaxes land in β's long-lived manager, which the caller's attach never sees:
        // close them here or every step leaks 2 × nodes arrays. Backward does not need the Java handles, the
        // autograd graph holds its own references.
        try (NDList slices = new NDList(nodes); NDList parts = new NDList(nodes)) {
            int start = 0;
            for (int i = 0; i < nodes; i++) {
                int end = start + 2 + i;
                NDArray slice = beta.get(new NDIndex(start + ":" + end));
                slices.add(slice);
                parts.add(slice.softmax(0));
                start = end;
            }
            return Operations.concat(parts, 0);
        }
    }

    /** α and β with their gradients, for the architecture optimizer; handles belong to {@code step}. */
    public List<ParamGrad> withGradients(NDManager step) {
        List<ParamGrad> out = new ArrayList<>(tensors.size());
        for (int t = 0; t < tensors.size(); t++) {
            NDArray grad = tensors.get(t).getGradient();
            grad.attach(step);
            out.add(new ParamGrad(NAMES[t], tensors.get(t), grad));
        }
        return out;
    }

    /** α and β with the given gradients (same order as {@link #mixingWeights}' tensors). */
    public List<ParamGrad> withGradients(List<NDArray> grads) {
        List<ParamGrad> out = new ArrayList<>(tensors.size());
        for (int t = 0; t < tensors.size(); t++) {
            out.add(new ParamGrad(NAMES[t], tensors.get(t), grads.get(t)));
        }
        return out;
    }

    /** Copies of the current gradients of α and β, owned by {@code step}. */
    public List<NDArray> gradientCopies(NDManager step) {
        List<NDArray> out = new ArrayList<>(tensors.size());
        for (NDArray t : tensors) {
            try (NDArray g = t.getGradient()) {
                NDArray copy = g.duplicate();
                copy.attach(step);
                out.add(copy);
            }
        }
        return out;
    }

    /** Sets the accumulated gradients to zero: PyTorch accumulates them across backward passes. */
    public void zeroGradients() {
        for (NDArray t : tensors) {
            try (NDArray g = t.getGradient()) {
                g.subi(g);
            }
        }
    }

    /** The normalized weights as Java arrays, for logs, the genotype and the plots. */
    public ArchitectureSnapshot snapshot() {
        try (NDManager tmp = manager.newSubManager()) {
            NDList mixing = mixingWeights();
            mixing.attach(tmp);
            float[][] normal = rows(mixing.get(0));
            float[][] reduce = rows(mixing.get(1));
            float[] betaNormal = hasEdgeWeights() ? mixing.get(2).toFloatArray() : null;
            float[] betaReduce = hasEdgeWeights() ? mixing.get(3).toFloatArray() : null;
            return new ArchitectureSnapshot(normal, reduce, betaNormal, betaReduce);
        }
    }

    /** A [rows × columns] array as Java rows. */
    static float[][] rows(NDArray matrix) {
        float[] flat = matrix.toFloatArray();
        int rows = (int) matrix.getShape().get(0);
        int cols = flat.length / rows;
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /** Java rows as one [rows × columns] array in engine-allocated memory ({@link #aligned}), owned by {@code m}. */
    static NDArray matrix(NDManager m, float[][] rows) {
        int cols = rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        try (NDArray fromJava = m.create(flat, new Shape(rows.length, cols))) {
            return aligned(fromJava);
        }
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeInt(tensors.size());
        for (NDArray t : tensors) {
            byte[] bytes = t.encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n != tensors.size()) {
            throw new UserError("architecture state: expected " + tensors.size() + " tensors, found " + n);
        }
        for (NDArray t : tensors) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            try (NDArray loaded = NDArray.decode(manager, bytes)) {
                if (!loaded.getShape().equals(t.getShape())) {
                    throw new UserError("architecture state: expected shape " + t.getShape() + ", found "
                            + loaded.getShape());
                }
                t.subi(t).addi(loaded);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
