package org.proxynas.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.search.SearchJob;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.GenotypeSampler;
import org.proxynas.nas.space.Primitives;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;
import org.proxynas.train.NetworkSpec;
import org.proxynas.train.TinyIdx;

/**
 * Every exported network is run by ONNX Runtime itself and must give DJL's logits on 64 test images; the four
 * networks together use every operation of the search space. The same files load through DJL's ONNX Runtime
 * engine and classify as the DJL model does.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-4;
    private static final int IMAGES = 64;
    /** Its one sampled genotype holds the seven operations other than none, skip at stride 2 among them. */
    private static final long SAMPLE_SEED = 1;

    @TempDir
    static Path dir;

    private static final List<Trained> NETWORKS = new ArrayList<>();
    private static OrtEnvironment ort;

    /**
     * A network trained for one epoch by the training job, as a user's training would leave it, and its export.
     */
    record Trained(String name, Genotype genotype, Path model, String dataset, Path onnx, ExportResult export) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void trainTheNetworks() throws IOException {
        // DJL's engine creates the one ONNX Runtime environment of the process with its own threading options
        Engine.getEngine("OnnxRuntime");
        ort = OrtEnvironment.getEnvironment();
        String mnist28 = TinyIdx.write(dir.resolve("28"), 192, IMAGES, 0);
        String mnist32 = TinyIdx.write(dir.resolve("32"), 96, IMAGES, 2);
        Path subset = dir.resolve("subset.json");
        Files.writeString(subset, "{\"method\":\"test\",\"indices\":[" + String.join(",",
                Stream.iterate(7, i -> i + 15).limit(64).map(String::valueOf).toList()) + "]}");
        Genotype gdas = SearchJob.run(SearchConfig.builder().setDataset(Datasets.FASHION_MNIST).setAlgorithm("gdas")
                .setOutDir(dir.resolve("gdas")).optSubsetFile(subset).optEpochs(1).optLayers(3).optChannels(4)
                .optNodes(2).optMultiplier(2).optBatchSize(32)
                .optGdas(new SearchConfig.GdasSettings(10, 0.1, "fixed")).build()).genotype();
        // six steps at the recipe's lr 0.1 leave batch norm's running statistics far from the batches' and logits in
        // the thousands, where float32 rounding alone exceeds the tolerance; these settings give a trained
        // network's logits (about 10)
        NETWORKS.add(train("resnet20", new NetworkSpec.ResNet(20), null, mnist28, 3, 16, 0.02));
        NETWORKS.add(train("DARTS_V2", cells("DARTS_V2", Genotype.named("DARTS_V2")), Genotype.named("DARTS_V2"),
                mnist28));
        NETWORKS.add(train("gdas", cells("gdas", gdas), gdas, mnist28));
        Genotype sampled = GenotypeSampler.sample(1, SAMPLE_SEED).get(0);
        NETWORKS.add(train("sampled", cells("sampled", sampled), sampled, mnist32));
    }

    private static NetworkSpec cells(String name, Genotype g) {
        return new NetworkSpec.Cells(name, g, 5, 8, null);
    }

    private static Trained train(String name, NetworkSpec spec, Genotype genotype, String dataset) throws IOException {
        return train(name, spec, genotype, dataset, 1, 32, null);
    }

    private static Trained train(String name, NetworkSpec spec, Genotype genotype, String dataset, int epochs,
            int batchSize, Double lr) throws IOException {
        Path out = dir.resolve("train-" + name);
        TrainJob.run(TrainConfig.builder().setDataset(dataset).setNetwork(spec).setOutputDir(out)
                .optEpochs(epochs).optBatchSize(batchSize).optLr(lr).build());
        Path model = out.resolve(ModelDirectory.DIR);
        Path onnx = dir.resolve(name + ".onnx");
        return new Trained(name, genotype, model, dataset, onnx,
                ExportJob.run(new ExportConfig(model, onnx), RunContext.DEFAULT));
    }

    static List<Trained> networks() {
        return NETWORKS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void onnxRuntimeComputesDjlsLogits(Trained network) throws Exception {
        Path onnx = network.onnx();
        ModelManifest manifest = ModelDirectory.read(network.model());
        ImageDataset test = Datasets.open(network.dataset(), Split.TEST);
        float[] images = normalizedImages(test, manifest);
        long[] shape = {IMAGES, test.channels(), test.height(), test.width()};

        float[][] expected = djlLogits(network.model(), images, shape);
        try (OrtSession session = ort.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ort, FloatBuffer.wrap(images), shape);
                OrtSession.Result out = session.run(Map.of(OnnxModel.INPUT, input))) {
            float[][] actual = (float[][]) out.get(OnnxModel.OUTPUT).orElseThrow().getValue();
            assertThat(actual).hasNumberOfRows(IMAGES);
            double maxDiff = 0;
            for (int i = 0; i < IMAGES; i++) {
                for (int c = 0; c < manifest.classes(); c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(actual[i][c] - expected[i][c]));
                }
            }
            assertThat(maxDiff).as("max |ONNX Runtime - DJL| over %d images", IMAGES).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /** Both runtimes see the same floats: the images normalized as the model's translator does it. */
    private static float[] normalizedImages(ImageDataset test, ModelManifest manifest) {
        int size = test.imageBytes();
        float[] images = new float[IMAGES * size];
        byte[] pixels = new byte[size];
        for (int i = 0; i < IMAGES; i++) {
            test.readImage(i, pixels, 0);
            System.arraycopy(manifest.normalization().apply(pixels), 0, images, i * size, size);
        }
        return images;
    }

    private static float[][] djlLogits(Path modelDir, float[] images, long[] shape) throws IOException {
        try (ZooModel<Image, Classifications> model = ProxyNasModel.load(modelDir)) {
            NDArray x = model.getNDManager().create(FloatBuffer.wrap(images), new Shape(shape));
            NDArray logits = model.getBlock().forward(new ParameterStore(model.getNDManager(), false), new NDList(x),
                    false).singletonOrThrow();
            float[] flat = logits.toFloatArray();
            int classes = (int) logits.getShape().get(1);
            float[][] rows = new float[(int) shape[0]][classes];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(flat, i * classes, rows[i], 0, classes);
            }
            return rows;
        }
    }

    @Test
    void theFourNetworksExportEveryOperationOfTheSpace() {
        Set<String> cellOperations = new TreeSet<>();
        Set<String> onnxOperators = new TreeSet<>();
        boolean skipAtStrideTwo = false;
        for (Trained n : NETWORKS) {
            onnxOperators.addAll(n.export().operators());
            if (n.genotype() != null) {
                n.genotype().normal().forEach(e -> cellOperations.add(e.op()));
                n.genotype().reduce().forEach(e -> cellOperations.add(e.op()));
                skipAtStrideTwo |= n.genotype().reduce().stream()
                        .anyMatch(e -> e.op().equals("skip_connect") && e.input() < 2);
            }
        }
        assertThat(cellOperations).containsAll(Primitives.NAMES);
        assertThat(skipAtStrideTwo).as("skip_connect at stride 2, a factorized reduction").isTrue();
        // pools, convolutions (separable and dilated ones are grouped and dilated Convs), none (ConstantOfShape
        // of a Slice's Shape), factorized reduce (Slice + Concat), the ResNet's padded shortcut
        assertThat(onnxOperators).contains("Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool",
                "ConstantOfShape", "Shape", "Slice", "Concat", "Add", "Pad", "GlobalAveragePool", "Gemm");
    }

    @Test
    void theGraphHasNamedDocumentedInputsAndADynamicBatch() throws Exception {
        Trained darts = NETWORKS.get(1);
        Path onnx = darts.onnx();
        ExportResult result = darts.export();
        assertThat(result.opset()).isEqualTo(17);
        assertThat(result.input()).isEqualTo("images: batch×1×28×28 float32");
        assertThat(result.output()).isEqualTo("logits: batch×10 float32");
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
        assertThat(model.getIrVersion()).isEqualTo(8);
        OnnxMl.ValueInfoProto input = model.getGraph().getInput(0);
        assertThat(input.getName()).isEqualTo("images");
        assertThat(input.getDocString()).contains("mean", "std");
        assertThat(input.getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("batch");
        assertThat(model.getGraph().getOutput(0).getName()).isEqualTo("logits");
        assertThat(model.getGraph().getOutput(0).getDocString()).contains("classNames");
        String classNames = Json.line(ModelDirectory.read(darts.model()).classNames());
        assertThat(model.getMetadataPropsList()).anyMatch(p -> p.getKey().equals("classNames")
                && p.getValue().equals(classNames));
        // the auxiliary head is not part of inference: DARTS_V2 here has none, the sampled 32-px network has one
        ModelManifest sampled = ModelDirectory.read(NETWORKS.get(3).model());
        assertThat(sampled.auxiliaryHead()).isTrue();

        try (OrtSession session = ort.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor one = OnnxTensor.createTensor(ort, FloatBuffer.allocate(28 * 28), new long[] {1, 1, 28, 28});
                OrtSession.Result out = session.run(Map.of("images", one))) {
            assertThat((float[][]) out.get(0).getValue()).hasNumberOfRows(1);
        }
    }

    /** The ONNX file through DJL's own ONNX Runtime engine, with the model's translator: the same classes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void djlsOnnxRuntimeEnginePredictsTheSameClasses(Trained network) throws Exception {
        ImageDataset test = Datasets.open(network.dataset(), Split.TEST);
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            images.add(ImageFactory.getInstance().fromImage(PixelImages.gray(test, i)));
        }
        Criteria<Image, Classifications> onnxCriteria = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(network.onnx()).optEngine("OnnxRuntime")
                .optTranslator(ProxyNasModel.translator(network.model())).build();
        try (ZooModel<Image, Classifications> pytorch = ProxyNasModel.load(network.model());
                Predictor<Image, Classifications> expected = pytorch.newPredictor();
                ZooModel<Image, Classifications> onnxModel = onnxCriteria.loadModel();
                Predictor<Image, Classifications> actual = onnxModel.newPredictor()) {
            for (Image image : images) {
                Classifications e = expected.predict(image);
                Classifications a = actual.predict(image);
                assertThat(a.best().getClassName()).isEqualTo(e.best().getClassName());
                assertThat(a.best().getProbability()).isCloseTo(e.best().getProbability(),
                        offset(1e-4));
            }
        }
    }
}
