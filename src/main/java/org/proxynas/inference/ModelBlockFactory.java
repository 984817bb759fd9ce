package org.proxynas.inference;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;
import org.proxynas.train.Networks;

/**
 * The network of a model directory, for DJL's loader: {@code serving.properties} names this class, so that
 * {@code Criteria} with only the directory's path builds the blocks the weights belong to.
 */
public final class ModelBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) throws IOException {
        return network(ModelDirectory.read(modelPath));
    }

    /** The uninitialized network {@code manifest} describes, auxiliary head included when its weights have one. */
    static Block network(ModelManifest manifest) {
        return Networks.build(manifest.network(), manifest.input().channels(), manifest.classes(),
                manifest.auxiliaryHead());
    }
}
