package org.proxynas.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.learn.InferenceGraph;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXRef;
import org.tribuo.util.onnx.ONNXUtils;

/**
 * An {@link InferenceGraph} that builds ONNX nodes in a Tribuo {@link ONNXContext}, each weight an initializer
 * copied from the block's parameter. Node and tensor names are the operation's name with a counter
 * ({@code Conv_12}, {@code conv_weight_12}).
 */
final class OnnxGraph implements InferenceGraph<ONNXRef<?>> {
    private static final long TO_THE_END = Long.MAX_VALUE;
    private final ONNXContext context;

    OnnxGraph(ONNXContext context) {
        this.context = context;
    }

    private ONNXRef<?> op(Opset17 op, List<ONNXRef<?>> inputs, Map<String, Object> attributes) {
        return context.operation(op, inputs, op.getOpName(), attributes);
    }

    private ONNXRef<?> tensor(String name, NDArray array) {
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        List<Integer> dims = new ArrayList<>();
        for (long d : array.getShape().getShape()) {
            dims.add(Math.toIntExact(d));
        }
        return context.floatTensor(name, dims, buffer -> buffer.put(values));
    }

    private static int[] ints(Shape shape) {
        return Arrays.stream(shape.getShape()).mapToInt(Math::toIntExact).toArray();
    }

    private static NDArray parameter(Block block, String name) {
        return block.getParameters().get(name).getArray();
    }

    @Override
    public ONNXRef<?> relu(ONNXRef<?> x) {
        return op(Opset17.RELU, List.of(x), Map.of());
    }

    @Override
    public ONNXRef<?> convolution(ONNXRef<?> x, Conv2d conv) {
        List<ONNXRef<?>> inputs = new ArrayList<>(List.of(x, tensor("conv_weight", parameter(conv, "weight"))));
        if (conv.isIncludeBias()) {
            inputs.add(tensor("conv_bias", parameter(conv, "bias")));
        }
        int[] padding = ints(conv.getPadding());
        return op(Opset17.CONV, inputs, Map.of(
                "kernel_shape", ints(conv.getKernelShape()),
                "strides", ints(conv.getStride()),
                // ONNX pads: every axis' beginning, then every axis' end
                "pads", new int[] {padding[0], padding[1], padding[0], padding[1]},
                "dilations", ints(conv.getDilation()),
                "group", conv.getGroups()));
    }

    @Override
    public ONNXRef<?> linear(ONNXRef<?> x, Linear linear) {
        return op(Opset17.GEMM, List.of(x, tensor("linear_weight", parameter(linear, "weight")),
                tensor("linear_bias", parameter(linear, "bias"))), Map.of("transB", 1));
    }

    @Override
    public ONNXRef<?> batchNorm(ONNXRef<?> x, NDArray gamma, NDArray beta, NDArray runningMean, NDArray runningVar,
            float epsilon) {
        return op(Opset17.BATCH_NORMALIZATION, List.of(x, tensor("bn_scale", gamma), tensor("bn_bias", beta),
                tensor("bn_mean", runningMean), tensor("bn_var", runningVar)), Map.of("epsilon", epsilon));
    }

    @Override
    public ONNXRef<?> maxPool(ONNXRef<?> x, int kernel, int stride, int padding) {
        return op(Opset17.MAX_POOL, List.of(x), window(kernel, stride, padding));
    }

    @Override
    public ONNXRef<?> averagePool(ONNXRef<?> x, int kernel, int stride, int padding) {
        Map<String, Object> attributes = new HashMap<>(window(kernel, stride, padding));
        attributes.put("count_include_pad", 0);
        return op(Opset17.AVERAGE_POOL, List.of(x), attributes);
    }

    private static Map<String, Object> window(int kernel, int stride, int padding) {
        return Map.of("kernel_shape", new int[] {kernel, kernel}, "strides", new int[] {stride, stride},
                "pads", new int[] {padding, padding, padding, padding});
    }

    @Override
    public ONNXRef<?> globalAveragePool(ONNXRef<?> x) {
        return op(Opset17.FLATTEN, List.of(op(Opset17.GLOBAL_AVERAGE_POOL, List.of(x), Map.of())),
                Map.of("axis", 1));
    }

    @Override
    public ONNXRef<?> add(ONNXRef<?> a, ONNXRef<?> b) {
        return op(Opset17.ADD, List.of(a, b), Map.of());
    }

    @Override
    public ONNXRef<?> concat(List<ONNXRef<?>> xs, int axis) {
        return op(Opset17.CONCAT, xs, Map.of("axis", axis));
    }

    @Override
    public ONNXRef<?> sliceSpatial(ONNXRef<?> x, int start, int step) {
        return op(Opset17.SLICE, List.of(x,
                context.array("slice_starts", new long[] {start, start}),
                context.array("slice_ends", new long[] {TO_THE_END, TO_THE_END}),
                context.array("slice_axes", new long[] {2, 3}),
                context.array("slice_steps", new long[] {step, step})), Map.of());
    }

    @Override
    public ONNXRef<?> zerosLike(ONNXRef<?> x) {
        OnnxMl.TensorProto zero = ONNXUtils.floatTensorBuilder(context, "zero", List.of(1), buffer -> buffer.put(0f));
        return op(Opset17.CONSTANT_OF_SHAPE, List.of(op(Opset17.SHAPE, List.of(x), Map.of())), Map.of("value", zero));
    }

    @Override
    public ONNXRef<?> padChannels(ONNXRef<?> x, int before, int after) {
        return op(Opset17.PAD, List.of(x, context.array("pads", new long[] {0, before, 0, 0, 0, after, 0, 0}),
                context.constant("pad_value", 0f)), Map.of());
    }
}
