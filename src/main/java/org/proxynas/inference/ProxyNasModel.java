package org.proxynas.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import java.io.IOException;
import java.nio.file.Path;
import org.proxynas.common.UserError;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;

/**
 * Loads a model directory (the {@code model/} that every training writes) as an ordinary DJL model:
 * {@code ProxyNasModel.load(dir).newPredictor().predict(image)} gives the classes of an image of any size, prepared
 * as in training. DJL's own {@code Criteria.builder().setTypes(Image.class, Classifications.class).optModelPath(dir)
 * .optTranslatorFactory(new DeferredTranslatorFactory())} gives the same model: the directory's
 * {@code serving.properties} names the block and translator factories.
 */
public final class ProxyNasModel {
    private ProxyNasModel() {}

    /**
     * The translator of the model in {@code dir}, for another engine running its exported graph: DJL's ONNX Runtime
     * engine with {@code Criteria.builder().setTypes(Image.class, Classifications.class).optModelPath(onnxFile)
     * .optEngine("OnnxRuntime").optTranslator(translator(dir))} classifies as {@link #load} does.
     */
    public static Translator<Image, Classifications> translator(Path dir) throws IOException {
        return new ModelTranslator(ModelDirectory.read(dir));
    }

    /** The model in {@code dir} on the CPU. */
    public static ZooModel<Image, Classifications> load(Path dir) throws IOException {
        return load(dir, Device.cpu());
    }

    /**
     * The model in {@code dir} on {@code device}. A directory that is not a complete model of a format this version
     * reads, or whose weights do not fit its network, is a {@link UserError} naming it.
     */
    public static ZooModel<Image, Classifications> load(Path dir, Device device) throws IOException {
        ModelManifest manifest = ModelDirectory.read(dir);
        Criteria<Image, Classifications> criteria = Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optModelPath(dir)
                .optModelName(ModelDirectory.MODEL_NAME)
                .optEngine(ModelDirectory.ENGINE)
                .optDevice(device)
                .optBlock(ModelBlockFactory.network(manifest))
                .optTranslator(new ModelTranslator(manifest))
                .build();
        try {
            return criteria.loadModel();
        } catch (MalformedModelException e) {
            throw new UserError(dir + ": the weights do not fit the network in " + ModelDirectory.MANIFEST + ": "
                    + e.getMessage(), e);
        } catch (ModelNotFoundException e) {
            throw new IllegalStateException("DJL did not load " + dir + ": " + e.getMessage(), e);
        }
    }
}
