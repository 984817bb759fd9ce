package org.proxynas.inference;

import java.util.List;
import org.proxynas.common.Provenance;

/**
 * What {@link ExportJob} wrote.
 *
 * @param onnx the file
 * @param input the input's name and shape ({@code images: batch×C×H×W float32})
 * @param output the output's name and shape ({@code logits: batch×classes float32})
 * @param operators the ONNX operator types the graph uses, sorted
 * @param nodes the graph's node count
 * @param seconds wall time of the export, loading the model included
 */
public record ExportResult(
        String model,
        String onnx,
        int opset,
        String input,
        String output,
        List<String> operators,
        int nodes,
        long bytes,
        double seconds,
        Provenance provenance) {

    public ExportResult {
        operators = List.copyOf(operators);
    }
}
