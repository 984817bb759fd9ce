package org.proxynas.inference;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.BufferedImageFactory;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.data.ImagePixels;
import org.proxynas.train.ModelManifest;

/**
 * An image of any size to the network's input as training saw it (scaled to cover the input, centre-cropped, gray or
 * RGB, normalized with the training split's statistics: {@link ImagePixels}, {@code Normalization.apply}), and the
 * logits to class probabilities. Works with any engine: the pixels are prepared in Java and the softmax is taken on
 * the copied logits, so it serves the ONNX Runtime engine as well as PyTorch.
 */
final class ModelTranslator implements Translator<Image, Classifications> {
    private final ModelManifest manifest;

    ModelTranslator(ModelManifest manifest) {
        this.manifest = manifest;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        ModelManifest.InputShape shape = manifest.input();
        byte[] pixels = ImagePixels.fit(bufferedImage(ctx, input), shape.channels(), shape.height(), shape.width());
        float[] x = manifest.normalization().apply(pixels);
        return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(x), shape.shape()));
    }

    /** DJL's default image factory wraps a BufferedImage; another one (OpenCV's) goes through its pixels. */
    private static BufferedImage bufferedImage(TranslatorContext ctx, Image input) {
        Object wrapped = input.getWrappedImage();
        if (wrapped instanceof BufferedImage b) {
            return b;
        }
        return (BufferedImage) new BufferedImageFactory()
                .fromNDArray(input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR)).getWrappedImage();
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        return new Classifications(manifest.classNames(), softmax(list.get(0).toFloatArray()));
    }

    static List<Double> softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        List<Double> p = new ArrayList<>(logits.length);
        for (double v : e) {
            p.add(v / sum);
        }
        return p;
    }
}
