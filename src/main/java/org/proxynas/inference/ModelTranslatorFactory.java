package org.proxynas.inference;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;
import org.proxynas.train.ModelDirectory;

/**
 * The translator of a model directory, for DJL's loader ({@code serving.properties} names this class): images in,
 * classifications out, with the model's input shape, normalization and class names.
 */
public final class ModelTranslatorFactory implements TranslatorFactory {
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Image.class, Classifications.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model,
            Map<String, ?> arguments) throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException("a ProxyNAS model translates Image to Classifications, not "
                    + input.getSimpleName() + " to " + output.getSimpleName());
        }
        try {
            return (Translator<I, O>) new ModelTranslator(ModelDirectory.read(model.getModelPath()));
        } catch (IOException e) {
            throw new TranslateException(e);
        }
    }
}
