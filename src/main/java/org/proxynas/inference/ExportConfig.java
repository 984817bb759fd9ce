package org.proxynas.inference;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.proxynas.common.UserError;

/**
 * An ONNX export: the model directory {@code model} (the {@code model/} a training wrote) to the file {@code onnx}.
 */
public record ExportConfig(
        @JsonSerialize(using = ToStringSerializer.class) Path model,
        @JsonSerialize(using = ToStringSerializer.class) Path onnx) {

    public ExportConfig {
        if (model == null) {
            throw new UserError("MODEL: expected a model directory, found nothing");
        }
        if (onnx == null) {
            throw new UserError("onnx: expected the file to write, found nothing");
        }
        if (Files.isDirectory(onnx)) {
            throw new UserError("onnx " + onnx + " is a directory; expected a file such as model.onnx");
        }
    }
}
