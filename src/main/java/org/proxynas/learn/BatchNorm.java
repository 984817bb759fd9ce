package org.proxynas.learn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Batch normalization of N×C×… batches over the channel axis 1, as PyTorch's {@code nn.BatchNorm2d}: the same
 * libtorch call with the same arguments as DJL's {@code BatchNorm} block, and stored exactly like it (version 2,
 * input shapes, channel count; parameters {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar}),
 * so results and checkpoints are the same byte for byte. It has DJL's class name too: inside a sequential block a
 * parameter's path carries its block's simple name ({@code 02BatchNorm_gamma}), and checkpoints key the optimizer
 * state by these paths.
 *
 * <p>Why not DJL's block: for a channel axis other than -1 it opens a scope and swaps the axis to 1 and back around
 * the call. For axis 1 both swaps are identities, yet each is an operator and, while autograd records, a
 * {@code TransposeBackward} node: four extra graph operations per normalization, ~330 per DARTS_V2 training step.
 * {@code affine = false} keeps the frozen scale 1 and shift 0 that DJL's block passes, as it did.
 *
 * <p>{@link ForwardHooks} may bypass it (the identity), as synflow's authors replace batch norm's forward.
 */
public final class BatchNorm extends AbstractBlock implements ExportableBlock {
    private static final byte VERSION = 2;
    private static final float MOMENTUM = 0.9f;
    private static final float EPSILON = 1e-5f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long channels;

    /** {@code affine}: whether scale and shift are learned (PyTorch's {@code affine}). */
    public BatchNorm(boolean affine) {
        super(VERSION);
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optRequiresGrad(affine).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optRequiresGrad(affine).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (ForwardHooks.of(store).bypassBatchNorm()) {
            return inputs;
        }
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        return new NDList(batchNorm(input, store.getValue(runningMean, device, training),
                store.getValue(runningVar, device, training), store.getValue(gamma, device, training),
                store.getValue(beta, device, training), training));
    }

    /**
     * The block's computation on given tensors (for benchmarks of the operator itself): normalized over axis 1;
     * while {@code training}, with the batch's statistics, updating the running ones in place.
     */
    public static NDArray batchNorm(NDArray input, NDArray runningMean, NDArray runningVar, NDArray gamma,
            NDArray beta, boolean training) {
        // JniUtils names its parameters gamma, beta, mean, var, but the native call reads running statistics first,
        // as DJL's block passes them; momentum in PyTorch's sense (the new batch's weight), computed as DJL does
        return JniUtils.batchNorm((PtNDArray) input, (PtNDArray) runningMean, (PtNDArray) runningVar,
                (PtNDArray) gamma, (PtNDArray) beta, training, 1f - MOMENTUM, EPSILON);
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        return graph.batchNorm(inputs.get(0), gamma.getArray(), beta.getArray(), runningMean.getArray(),
                runningVar.getArray(), EPSILON);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        for (Parameter p : new Parameter[] {gamma, beta, runningMean, runningVar}) {
            p.setShape(new Shape(channels));
        }
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(channels);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion == VERSION) {
            readInputShapes(is);
        } else if (loadVersion != 1) {
            throw new MalformedModelException("Unsupported encoding version: " + loadVersion);
        }
        channels = is.readLong();
    }
}
