package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.proxynas.common.UserError;
import org.proxynas.learn.BatchNorm;
import org.proxynas.learn.Conv2d;
import org.proxynas.learn.Relu;

/**
 * The operation registry shared by the supernet's mixed operations (affine = false) and the cells of
 * networks built from a genotype (affine = true), with DARTS' definitions: ReLU-Conv-BN ordering,
 * convolutions without bias, pools 3×3 with padding 1 (average pool excluding the padding).
 */
public final class Operations {
    /**
     * The eight search primitives plus the two extra operations of the NASNet and AmoebaNet cells, so
     * that those published genotypes can be trained too, and the two branches of GDAS' fixed reduction
     * cell ({@link GdasReductionCell}).
     */
    public static final Map<String, OpFactory> FACTORIES = registry();

    private Operations() {}

    private static Map<String, OpFactory> registry() {
        Map<String, OpFactory> ops = new LinkedHashMap<>();
        ops.put("none", (c, stride, affine) -> new Zero(stride));
        ops.put("max_pool_3x3", (c, stride, affine) -> new MaxPool(3, stride, 1));
        ops.put("avg_pool_3x3", (c, stride, affine) ->
                new AveragePool(3, stride, 1));
        ops.put("skip_connect", (c, stride, affine) -> stride == 1 ? new Identity() : new FactorizedReduce(c, affine));
        ops.put("sep_conv_3x3", (c, stride, affine) -> sepConv(c, 3, stride, 1, affine));
        ops.put("sep_conv_5x5", (c, stride, affine) -> sepConv(c, 5, stride, 2, affine));
        ops.put("sep_conv_7x7", (c, stride, affine) -> sepConv(c, 7, stride, 3, affine));
        ops.put("dil_conv_3x3", (c, stride, affine) -> dilConv(c, 3, stride, 2, affine));
        ops.put("dil_conv_5x5", (c, stride, affine) -> dilConv(c, 5, stride, 4, affine));
        ops.put("conv_7x1_1x7", (c, stride, affine) -> new SequentialBlock()
                .add(new Relu())
                .add(Conv2d.builder().setKernelShape(new Shape(1, 7)).setFilters(c)
                        .optStride(new Shape(1, stride)).optPadding(new Shape(0, 3)).optBias(false).build())
                .add(Conv2d.builder().setKernelShape(new Shape(7, 1)).setFilters(c)
                        .optStride(new Shape(stride, 1)).optPadding(new Shape(3, 0)).optBias(false).build())
                .add(batchNorm(affine)));
        ops.put("conv_1x3_3x1_g8", Operations::gdasConvolution);
        ops.put("max_pool_3x3_bn", (c, stride, affine) -> new SequentialBlock()
                .add(new MaxPool(3, stride, 1))
                .add(batchNorm(affine)));
        return Map.copyOf(ops);
    }

    /** The registered operation {@code name}; unknown names are an {@link IllegalArgumentException}. */
    public static Block create(String name, int channels, int stride, boolean affine) {
        OpFactory factory = FACTORIES.get(name);
        if (factory == null) {
            throw new UserError("unknown operation '" + name + "', expected one of "
                    + Primitives.NAMES + " or sep_conv_7x7, conv_7x1_1x7, conv_1x3_3x1_g8, max_pool_3x3_bn");
        }
        if (stride != 1 && stride != 2) {
            throw new UserError(name + ": stride must be 1 or 2, found " + stride);
        }
        return factory.create(channels, stride, affine);
    }

    /**
     * {@code arrays} joined along {@code axis}, one array returned as it is: DJL joins a single array by
     * duplicating it, and its duplicate runs without autograd, which would cut the gradient there (a cell
     * that outputs one node, as a search with {@code --multiplier 1} and the cells it finds do).
     */
    public static NDArray concat(NDList arrays, int axis) {
        return arrays.size() == 1 ? arrays.get(0) : NDArrays.concat(arrays, axis);
    }

    /**
     * {@code op} applied to {@code inputs}, its intermediate arrays released as soon as it returns; the
     * output belongs to the first input's manager. Autograd keeps what the backward pass needs by itself: a
     * Java handle kept until the step's manager closes only holds memory that PyTorch would have freed
     * already (the products and sums of a mixed operation, a cell's node sums), which made the supernet's
     * peak memory 1.4x the reference's.
     */
    public static NDArray forwardReleasing(Block op, ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDManager owner = inputs.get(0).getManager();
        try (NDManager scope = owner.newSubManager()) {
            Set<NDArray> attached = Collections.newSetFromMap(new IdentityHashMap<>());
            for (NDArray x : inputs) {
                if (attached.add(x)) {
                    x.tempAttach(scope);
                }
            }
            NDArray y = op.forward(store, inputs, training, params).singletonOrThrow();
            y.attach(owner);
            return y;
        }
    }

    /**
     * {@code sum + term}, or {@code term} when {@code sum} is null, releasing both operands: for running sums
     * whose partial results nothing else reads (autograd saves no operand of an addition).
     */
    public static NDArray addReleasing(NDArray sum, NDArray term) {
        if (sum == null) {
            return term;
        }
        try (sum; term) {
            return sum.add(term);
        }
    }

    /** ReLU, k×k convolution to {@code outChannels}, BN: the cells' 1×1 preprocessing. */
    public static Block reluConvBn(int outChannels, int kernel, int stride, int padding, boolean affine) {
        return new SequentialBlock()
                .add(new Relu())
                .add(conv(outChannels, kernel, stride, padding, 1, 1))
                .add(batchNorm(affine));
    }

    /**
     * GDAS' fixed reduction cell's convolution branch (AutoDL's {@code GDAS_Reduction_Cell.ops1}): ReLU,
     * 1×3 then 3×1 convolutions in 8 groups (the first strides the width, the second the height), BN, ReLU,
     * 1×1 convolution, BN. As AutoDL, the convolutions have a bias exactly when the BNs are not affine.
     */
    static Block gdasConvolution(int c, int stride, boolean affine) {
        int groups = 8;
        if (c % groups != 0) {
            throw new UserError("conv_1x3_3x1_g8: " + c + " channels cannot form " + groups
                    + " groups; the cell needs a channel count divisible by " + groups);
        }
        return new SequentialBlock()
                .add(new Relu())
                .add(Conv2d.builder().setKernelShape(new Shape(1, 3)).setFilters(c).optStride(new Shape(1, stride))
                        .optPadding(new Shape(0, 1)).optGroups(groups).optBias(!affine).build())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 1)).setFilters(c).optStride(new Shape(stride, 1))
                        .optPadding(new Shape(1, 0)).optGroups(groups).optBias(!affine).build())
                .add(batchNorm(affine))
                .add(new Relu())
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(c).optBias(!affine).build())
                .add(batchNorm(affine));
    }

    /** Two stacked (ReLU, depthwise k×k, pointwise 1×1, BN) units; only the first one strides. */
    static Block sepConv(int c, int kernel, int stride, int padding, boolean affine) {
        return new SequentialBlock()
                .add(new Relu())
                .add(conv(c, kernel, stride, padding, 1, c))
                .add(conv(c, 1, 1, 0, 1, 1))
                .add(batchNorm(affine))
                .add(new Relu())
                .add(conv(c, kernel, 1, padding, 1, c))
                .add(conv(c, 1, 1, 0, 1, 1))
                .add(batchNorm(affine));
    }

    /** ReLU, depthwise k×k with dilation 2, pointwise 1×1, BN. */
    static Block dilConv(int c, int kernel, int stride, int padding, boolean affine) {
        return new SequentialBlock()
                .add(new Relu())
                .add(conv(c, kernel, stride, padding, 2, c))
                .add(conv(c, 1, 1, 0, 1, 1))
                .add(batchNorm(affine));
    }

    /** A square convolution without bias, as every convolution in DARTS. */
    public static Block conv(int outChannels, int kernel, int stride, int padding, int dilation, int groups) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(outChannels)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups)
                .optBias(false)
                .build();
    }

    /** Batch norm over channels; {@code affine = false} freezes scale at 1 and shift at 0. */
    public static Block batchNorm(boolean affine) {
        return new BatchNorm(affine);
    }
}
