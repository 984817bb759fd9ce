package org.proxynas.inference;

import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.proxynas.common.Json;
import org.proxynas.common.Versions;
import org.proxynas.train.ModelManifest;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The ONNX model of a trained network's inference graph: one input {@value #INPUT} (float32 N×C×H×W, N free),
 * one output {@value #OUTPUT} (float32 N×classes), opset 17, with what a user needs to feed it (normalization, class
 * names) in the documentation strings and the metadata.
 */
final class OnnxModel {
    static final String INPUT = "images";
    static final String OUTPUT = "logits";
    static final String BATCH = "batch";
    /** IR version 8 is the one of opset 17 (ONNX 1.12). */
    private static final int IR_VERSION = 8;

    private OnnxModel() {}

    static OnnxMl.ModelProto of(Block network, ModelManifest manifest) throws IOException {
        ONNXContext context = new ONNXContext();
        ModelManifest.InputShape in = manifest.input();
        // Tribuo declares inputs as [batch, features]; the graph's real input type is set below
        ONNXPlaceholder input = context.floatInput(INPUT, in.channels());
        ONNXRef<?> logits = new OnnxGraph(context).block(network, input);
        logits.assignTo(context.floatOutput(OUTPUT, manifest.classes()));
        context.setName(manifest.network().describe());
        OnnxMl.GraphProto built = context.buildGraph();
        OnnxMl.GraphProto graph = built.toBuilder()
                .setInput(0, OnnxMl.ValueInfoProto.newBuilder().setName(INPUT).setType(floatTensor(
                                in.channels(), in.height(), in.width()))
                        .setDocString(inputDoc(manifest)))
                .setOutput(0, built.getOutput(0).toBuilder().setDocString("float32 " + BATCH + "×"
                        + manifest.classes() + " logits in the order of the metadata's classNames; their softmax"
                        + " is the class probabilities"))
                .build();
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(Opset17.opset())
                .setProducerName("ProxyNAS")
                .setProducerVersion(Versions.proxynas())
                .setDocString("Inference graph of " + manifest.network().describe() + " trained on "
                        + manifest.dataset() + " by ProxyNAS (batch norm with running statistics, no drop path,"
                        + " no auxiliary head).")
                .setGraph(graph);
        metadata(manifest).forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    private static OnnxMl.TypeProto floatTensor(long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
    }

    private static String inputDoc(ModelManifest m) {
        ModelManifest.InputShape in = m.input();
        return "float32 " + BATCH + "×" + in.channels() + "×" + in.height() + "×" + in.width() + " images ("
                + (in.channels() == 1 ? "gray" : "RGB") + "), each pixel v of channel c as (v/255 − mean[c]) / std[c]"
                + " with mean " + Arrays.toString(m.normalization().mean()) + " and std "
                + Arrays.toString(m.normalization().std());
    }

    private static Map<String, String> metadata(ModelManifest m) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("classNames", Json.line(m.classNames()));
        meta.put("mean", Json.line(m.normalization().mean()));
        meta.put("std", Json.line(m.normalization().std()));
        meta.put("network", Json.line(m.network()));
        meta.put("dataset", m.dataset());
        meta.put("finalTestAccuracy", Double.toString(m.training().finalTestAccuracy()));
        return meta;
    }
}
