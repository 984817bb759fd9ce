package org.proxynas.inference;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.List;
import org.proxynas.common.UserError;

/**
 * A prediction with the model directory {@code model}: on {@code images} (files, or folders searched for image
 * files), reporting each image's {@code top} classes; or on the test split of {@code dataset} (its first
 * {@code limit} examples; 0 = all), reporting the accuracy. Exactly one of {@code images} and {@code dataset}.
 */
public record PredictConfig(
        @JsonSerialize(using = ToStringSerializer.class) Path model,
        @JsonSerialize(contentUsing = ToStringSerializer.class) List<Path> images,
        String dataset,
        int limit,
        int top) {

    public static final int DEFAULT_TOP = 3;

    public PredictConfig {
        if (model == null) {
            throw new UserError("MODEL: expected a model directory, found nothing");
        }
        images = images == null ? List.of() : List.copyOf(images);
        if (images.isEmpty() == (dataset == null)) {
            throw new UserError("expected images (IMAGE... or a DIR) or --dataset SPEC, found "
                    + (images.isEmpty() ? "neither" : "both"));
        }
        if (top < 1) {
            throw new UserError("top must be >= 1, found " + top);
        }
        if (limit < 0) {
            throw new UserError("limit must be >= 0 (0 = the whole test split), found " + limit);
        }
        if (limit > 0 && dataset == null) {
            throw new UserError("limit applies to --dataset only");
        }
    }

    /** Each of {@code images}' {@code top} classes. */
    public static PredictConfig images(Path model, List<Path> images, int top) {
        return new PredictConfig(model, images, null, 0, top);
    }

    /** The accuracy on the first {@code limit} test examples of {@code dataset} (0 = all of them). */
    public static PredictConfig dataset(Path model, String dataset, int limit) {
        return new PredictConfig(model, List.of(), dataset, limit, DEFAULT_TOP);
    }
}
