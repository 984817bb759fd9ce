package org.proxynas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;
import org.proxynas.inference.ExportConfig;
import org.proxynas.inference.ExportJob;
import org.proxynas.inference.ExportResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proxynas export}: a trained model's inference graph as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a trained model directory's inference graph as ONNX (opset 17): input 'images'"
                + " (float32 batch x C x H x W, normalized as the input's doc string says), output 'logits'"
                + " (float32 batch x classes); the batch size is free. Batch norm uses its running statistics;"
                + " drop path and the auxiliary head are left out. Class names and normalization are in the"
                + " model's metadata."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory, e.g. runs/t1/model.")
    Path model;

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path onnx;

    @Option(names = "--json", description = "Print the export's summary as JSON.")
    boolean json;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ExportResult r = ExportJob.run(new ExportConfig(model, onnx),
                RunContext.of(RunOptions.recordedCommand(spec), ComputeDevice.CPU));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.pretty(r));
        } else {
            w.printf(Locale.ROOT, "onnx       %s (%.1f MB)%n", r.onnx(), r.bytes() / 1e6);
            w.printf(Locale.ROOT, "input      %s%n", r.input());
            w.printf(Locale.ROOT, "output     %s%n", r.output());
            w.printf(Locale.ROOT, "graph      opset %d, %d nodes: %s%n", r.opset(), r.nodes(),
                    String.join(", ", r.operators()));
            w.printf(Locale.ROOT, "wall time  %.1f s%n", r.seconds());
        }
        w.flush();
        return ProxyNas.EXIT_OK;
    }
}
