package org.proxynas.inference;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators the exported networks use, with their opset-17 inputs and attributes (Tribuo's own
 * {@code ONNXOperators} is opset 13 and has no convolution or pooling). Opset 17 is the newest that both Debian's
 * onnx 1.12 checker and ONNX Runtime accept.
 */
enum Opset17 implements ONNXOperator {
    ADD("Add", 2, 0),
    AVERAGE_POOL("AveragePool", 1, 0, ints("kernel_shape", true), ints("strides", false), ints("pads", false),
            integer("count_include_pad")),
    BATCH_NORMALIZATION("BatchNormalization", 5, 0, new ONNXAttribute("epsilon", AttributeType.FLOAT, false)),
    CONCAT("Concat", ONNXAttribute.VARIADIC_INPUT, 0, new ONNXAttribute("axis", AttributeType.INT, true)),
    CONSTANT_OF_SHAPE("ConstantOfShape", 1, 0, new ONNXAttribute("value", AttributeType.TENSOR, false)),
    CONV("Conv", 2, 1, ints("kernel_shape", false), ints("strides", false), ints("pads", false),
            ints("dilations", false), integer("group")),
    FLATTEN("Flatten", 1, 0, integer("axis")),
    GEMM("Gemm", 2, 1, integer("transB")),
    GLOBAL_AVERAGE_POOL("GlobalAveragePool", 1, 0),
    MAX_POOL("MaxPool", 1, 0, ints("kernel_shape", true), ints("strides", false), ints("pads", false)),
    PAD("Pad", 2, 1),
    RELU("Relu", 1, 0),
    SHAPE("Shape", 1, 0),
    SLICE("Slice", 3, 2);

    static final int VERSION = 17;

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    Opset17(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        this.attributes = Arrays.stream(attributes)
                .collect(Collectors.toUnmodifiableMap(ONNXAttribute::getName, Function.identity()));
    }

    private static ONNXAttribute ints(String name, boolean mandatory) {
        return new ONNXAttribute(name, AttributeType.INTS, mandatory);
    }

    private static ONNXAttribute integer(String name) {
        return new ONNXAttribute(name, AttributeType.INT, false);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.values().stream().filter(ONNXAttribute::isMandatory).map(ONNXAttribute::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int getOpVersion() {
        return VERSION;
    }

    /** The default domain, {@code ai.onnx}, which ONNX writes as no domain at all. */
    @Override
    public String getOpDomain() {
        return null;
    }

    @Override
    public OnnxMl.OperatorSetIdProto opsetProto() {
        return opset();
    }

    /** The model's opset import: the default domain at {@value #VERSION}. */
    static OnnxMl.OperatorSetIdProto opset() {
        return OnnxMl.OperatorSetIdProto.newBuilder().setVersion(VERSION).build();
    }
}
