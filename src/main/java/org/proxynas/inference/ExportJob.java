package org.proxynas.inference;

import ai.djl.Device;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.util.TreeSet;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;

/**
 * Writes a model directory's inference graph as an ONNX file ({@link OnnxModel}): what {@code proxynas export}
 * runs. {@code ExportJob.run(new ExportConfig(modelDir, Path.of("model.onnx")), RunContext.DEFAULT)} from Java.
 */
public final class ExportJob {
    private ExportJob() {}

    public static ExportResult run(ExportConfig config, RunContext context) throws IOException {
        long start = System.nanoTime();
        ModelManifest manifest = ModelDirectory.read(config.model());
        // the graph copies the weights, so where they are computed with does not matter: the CPU always works
        try (ZooModel<Image, Classifications> model = ProxyNasModel.load(config.model(), Device.cpu())) {
            OnnxMl.ModelProto onnx = OnnxModel.of(model.getBlock(), manifest);
            AtomicFiles.write(config.onnx(), onnx::writeTo);
            ModelManifest.InputShape in = manifest.input();
            TreeSet<String> operators = new TreeSet<>();
            onnx.getGraph().getNodeList().forEach(n -> operators.add(n.getOpType()));
            return new ExportResult(config.model().toString(), config.onnx().toString(), Opset17.VERSION,
                    OnnxModel.INPUT + ": " + OnnxModel.BATCH + "×" + in.channels() + "×" + in.height() + "×"
                            + in.width() + " float32",
                    OnnxModel.OUTPUT + ": " + OnnxModel.BATCH + "×" + manifest.classes() + " float32",
                    operators.stream().toList(), onnx.getGraph().getNodeCount(), Files.size(config.onnx()),
                    (System.nanoTime() - start) / 1e9, Provenance.capture("cpu()", context.command()));
        }
    }
}
