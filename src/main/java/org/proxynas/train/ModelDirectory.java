package org.proxynas.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.Checksums;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;

/**
 * A trained network as a directory that leaves ProxyNAS: {@code model.json} ({@link ModelManifest}: architecture,
 * input shape, normalization, class names, provenance), the weights in DJL's parameter format
 * ({@code proxynas-0000.params}), and DJL's {@code serving.properties}, which names the block and translator
 * factories so that DJL's own {@code Criteria} loads the directory from its path (with DJL's
 * {@code DeferredTranslatorFactory}, which reads the translator's name there). Every training
 * ({@link TrainJob}) writes one, {@code model/} in its output directory.
 */
public final class ModelDirectory {
    /** The model directory inside a training's output directory. */
    public static final String DIR = "model";
    public static final String MANIFEST = "model.json";
    public static final String SERVING_PROPERTIES = "serving.properties";
    public static final String FORMAT = "proxynas-model";
    public static final int FORMAT_VERSION = 1;
    /** DJL's model name: the parameter file is {@code <name>-<epoch>.params}. */
    public static final String MODEL_NAME = "proxynas";
    public static final String ENGINE = "PyTorch";
    private static final String WEIGHTS_FILE = String.format(Locale.ROOT, "%s-%04d.params", MODEL_NAME, 0);
    /**
     * What DJL's model loader reads before anything else: the engine, the parameter file's name (so the directory
     * may be renamed) and the factories of {@code org.proxynas.inference}, which read {@code model.json}.
     */
    private static final String SERVING = String.join("\n",
            "# read by DJL's Criteria.builder().setTypes(Image.class, Classifications.class).optModelPath(dir)",
            "#     .optTranslatorFactory(new DeferredTranslatorFactory()); model.json says what the model is",
            "engine=" + ENGINE,
            "option.modelName=" + MODEL_NAME,
            "blockFactory=org.proxynas.inference.ModelBlockFactory",
            "translatorFactory=org.proxynas.inference.ModelTranslatorFactory",
            "");

    private ModelDirectory() {}

    /**
     * Writes {@code network}'s weights and the manifest that {@code manifest} makes for them into {@code dir}, as
     * one atomic replacement of the directory.
     */
    static void write(Path dir, Block network, Function<ModelManifest.Weights, ModelManifest> manifest)
            throws IOException {
        AtomicFiles.writeDirectory(dir, tmp -> {
            // the model only carries the block to DJL's writer; the weights stay where training keeps them
            try (Model model = Model.newInstance(MODEL_NAME, Device.cpu(), ENGINE)) {
                model.setBlock(network);
                model.setProperty("Epoch", "0");
                model.save(tmp, MODEL_NAME);
            }
            Path weights = tmp.resolve(WEIGHTS_FILE);
            Json.write(tmp.resolve(MANIFEST),
                    manifest.apply(new ModelManifest.Weights(WEIGHTS_FILE, Checksums.sha256(weights))));
            AtomicFiles.writeString(tmp.resolve(SERVING_PROPERTIES), SERVING);
        });
    }

    /**
     * The manifest of the model in {@code dir}, after checking that {@code dir} is a complete model directory of a
     * format this version reads and that the weights are the ones it was written with. Anything else is a
     * {@link UserError} naming the directory or file.
     */
    public static ModelManifest read(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw UserError.noSuchFile(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": not a model directory (a file; expected the " + DIR
                    + "/ directory that train writes)");
        }
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new UserError(Files.isRegularFile(dir.resolve(DIR).resolve(MANIFEST))
                    ? dir + ": a training's output directory; its model is " + dir.resolve(DIR)
                    : dir + ": not a ProxyNAS model directory (no " + MANIFEST + ")");
        }
        JsonNode node = Json.read(file, JsonNode.class);
        if (!FORMAT.equals(node.path("format").asText(null))) {
            throw new UserError(file + ": not a ProxyNAS model (expected \"format\": \"" + FORMAT + "\")");
        }
        JsonNode version = node.path("formatVersion");
        if (!version.isInt() || version.asInt() != FORMAT_VERSION) {
            throw new UserError(file + ": model format version " + version
                    + " is not one this ProxyNAS reads (" + FORMAT_VERSION + "); use the ProxyNAS that wrote it");
        }
        ModelManifest manifest;
        try {
            manifest = Json.MAPPER.treeToValue(node, ModelManifest.class);
        } catch (JacksonException e) {
            throw new UserError(file + ": " + e.getOriginalMessage(), e);
        }
        Path weights = dir.resolve(manifest.weights().file());
        if (!weights.getParent().equals(dir) || !Files.isRegularFile(weights)) {
            throw new UserError(dir + ": incomplete model: its weights " + manifest.weights().file() + " are missing");
        }
        if (!Checksums.sha256(weights).equals(manifest.weights().sha256())) {
            throw new UserError(weights + ": not the weights " + MANIFEST
                    + " was written with (SHA-256 differs): the file is damaged or was replaced");
        }
        return manifest;
    }
}
