package org.proxynas.learn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.common.Precision;

/**
 * One training step in fp16 or bf16 with float32 master weights (see {@link Precision}). The network's
 * parameters stay float32: they are what the optimizer updates and checkpoints save. For the forward pass,
 * this parameter store hands every convolution and linear layer a 16-bit copy of its weight and bias, made
 * once per step as a leaf of its own; batch norm gets its float32 parameters and statistics (PyTorch's
 * batch norm takes a 16-bit input with float32 parameters). After the backward pass the copies' gradients,
 * in float32 and unscaled, are the masters' gradients for the optimizer.
 *
 * <p>DJL casts only outside autograd ({@code toType} runs under a no-grad guard), so no cast can sit inside
 * the graph: the copies are leaves, and the 16-bit logits return to float32 through type promotion (adding
 * a float32 zero), which autograd differentiates.
 *
 * <p>fp16 scales the loss by a factor that halves after a step whose gradients overflowed (that step is
 * skipped) and doubles after {@link #GROWTH_INTERVAL} steps without overflow: the defaults of
 * {@code torch.cuda.amp.GradScaler}. The factor is part of the checkpoint, so a resumed run scales as an
 * uninterrupted one.
 */
final class MixedPrecision extends ParameterStore implements Checkpointable {
    static final float INITIAL_SCALE = 65536f;
    static final int GROWTH_INTERVAL = 2000;

    private final Precision precision;
    private final int growthInterval;
    private final Map<String, NDArray> copies = new HashMap<>();
    private NDManager step;
    private float scale;
    private int stepsSinceOverflow;
    private long skippedSteps;

    MixedPrecision(NDManager manager, Precision precision) {
        this(manager, precision, GROWTH_INTERVAL);
    }

    /** {@code growthInterval}: overflow-free steps after which the fp16 loss scale doubles. */
    MixedPrecision(NDManager manager, Precision precision, int growthInterval) {
        super(manager, false);
        this.growthInterval = growthInterval;
        if (!precision.isMixed()) {
            throw new IllegalArgumentException("mixed precision needs fp16 or bf16, found " + precision);
        }
        this.precision = precision;
        this.scale = scales() ? INITIAL_SCALE : 1f;
    }

    /** Starts a step whose 16-bit copies live in {@code step}; the images, cast, for its forward pass. */
    NDArray beginStep(NDManager step, NDArray images) {
        this.step = step;
        copies.clear();
        NDArray half = images.toType(precision.dataType(), false);
        half.attach(step);
        return half;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray master = parameter.getArray();
        if (!training || !computesInHalf(parameter)) {
            return master;
        }
        return copies.computeIfAbsent(parameter.getId(), id -> {
            NDArray half = master.toType(precision.dataType(), true);
            half.attach(step);
            half.setRequiresGradient(true);
            return half;
        });
    }

    private static boolean computesInHalf(Parameter p) {
        return p.requiresGradient() && (p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.BIAS);
    }

    /** A network output in float32, differentiably (see the class comment). */
    NDArray toFloat32(NDArray output) {
        if (output.getDataType() == DataType.FLOAT32) {
            return output;
        }
        return output.add(step.zeros(new Shape(1), DataType.FLOAT32, output.getDevice()));
    }

    /** The loss to back-propagate: × the current scale (an engine-made scalar, which autograd may keep). */
    NDArray scaled(NDArray loss) {
        return scales() ? loss.mul(step.create(scale)) : loss;
    }

    /**
     * The gradients for the optimizer, in float32 against the masters: a 16-bit copy's gradient unscaled,
     * batch norm's own; null when the gradients overflowed (the step is to be skipped; the scale halves).
     * Ids, handles and the zero gradient of a parameter the loss did not reach are as in
     * {@link ParamGrad#of(Block, NDManager)}.
     */
    List<ParamGrad> gradients(Block network) {
        List<ParamGrad> out = ParamGrad.of(network, step, param -> {
            NDArray copy = copies.get(param.getId());
            return copy == null ? param.getArray().getGradient()
                    : copy.getGradient().toType(DataType.FLOAT32, false);
        });
        NDArray total = null;
        if (scales()) {
            for (ParamGrad g : out) {
                // in place: batch norm's gradient is the one the engine accumulates, which the caller zeroes
                g.grad().divi(scale);
                NDArray sum = g.grad().sum();
                total = total == null ? sum : total.add(sum);
            }
        }
        if (total != null && !Float.isFinite(total.getFloat())) {
            for (ParamGrad g : out) {
                // zero_(), which clears an inf or NaN (subtracting a gradient from itself would not)
                JniUtils.zeroGrad((PtNDArray) g.value());
            }
            scale /= 2;
            stepsSinceOverflow = 0;
            skippedSteps++;
            return null;
        }
        if (scales() && ++stepsSinceOverflow == growthInterval) {
            scale *= 2;
            stepsSinceOverflow = 0;
        }
        return out;
    }

    private boolean scales() {
        return precision == Precision.FP16;
    }

    float scale() {
        return scale;
    }

    /** Steps skipped for overflowing gradients since this object was made or restored. */
    long skippedSteps() {
        return skippedSteps;
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeFloat(scale);
        out.writeInt(stepsSinceOverflow);
        out.writeLong(skippedSteps);
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        float s = in.readFloat();
        int since = in.readInt();
        long skipped = in.readLong();
        if (!(s > 0) || Float.isInfinite(s) || since < 0 || since >= growthInterval || skipped < 0) {
            throw new IOException("corrupt loss-scale state (scale " + s + ", steps " + since + ")");
        }
        scale = s;
        stepsSinceOverflow = since;
        skippedSteps = skipped;
    }
}
