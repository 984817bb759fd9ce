package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.common.Json;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.train.TinyIdx;

/** {@code proxynas predict} and {@code export} as a user runs them, on a ResNet-20 that {@code train} wrote. */
class PredictCommandTest {
    @TempDir
    static Path dir;

    private static String dataset;
    private static Path trainDir;
    private static Path model;
    private static Path[] pngs;

    @BeforeAll
    static void train() throws IOException {
        dataset = TinyIdx.write(dir.resolve("data"), 192, 64, 0);
        trainDir = dir.resolve("train");
        CliRun r = CliRun.of("train", dataset, "--arch", "resnet20", "--epochs", "1", "--batch-size", "32", "--out",
                trainDir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        model = trainDir.resolve("model");
        assertThat(r.out()).contains("model            " + model + " (for proxynas predict and proxynas export)");
        ImageDataset test = Datasets.open(dataset, Split.TEST);
        pngs = new Path[3];
        for (int i = 0; i < pngs.length; i++) {
            byte[] pixels = new byte[test.imageBytes()];
            test.readImage(i, pixels, 0);
            BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            gray.getRaster().setDataElements(0, 0, 28, 28, pixels);
            pngs[i] = dir.resolve("image " + i + ".png");
            ImageIO.write(gray, "png", pngs[i].toFile());
        }
    }

    @Test
    void eachImageGetsALineWithItsTopClasses() {
        CliRun r = CliRun.of("predict", model.toString(), pngs[0].toString(), pngs[1].toString(), "--top", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith(pngs[0] + ": ").matches(".*: \\S+ \\d+\\.\\d%, \\S+ \\d+\\.\\d%");
        assertThat(lines.get(1)).startsWith(pngs[1] + ": ");
    }

    @Test
    void jsonGivesOneLinePerImageAndTheDatasetAccuracyIsResultJsons() throws IOException {
        CliRun images = CliRun.of("predict", model.toString(), pngs[2].toString(), "--json");
        assertThat(images.exit()).as(images.err()).isZero();
        JsonNode line = Json.MAPPER.readTree(images.out().strip());
        assertThat(line.get("image").asText()).isEqualTo(pngs[2].toString());
        assertThat(line.get("top")).hasSize(3);

        CliRun test = CliRun.of("predict", model.toString(), "--dataset", dataset, "--json");
        assertThat(test.exit()).as(test.err()).isZero();
        JsonNode accuracy = Json.MAPPER.readTree(test.out().strip()).get("dataset");
        double expected = Json.read(trainDir.resolve("result.json"), JsonNode.class).get("finalTestAccuracy")
                .asDouble();
        assertThat(accuracy.get("accuracy").asDouble()).isEqualTo(expected);
        assertThat(accuracy.get("examples").asInt()).isEqualTo(64);

        CliRun text = CliRun.of("predict", model.toString(), "--dataset", dataset);
        assertThat(text.out()).contains(String.format(Locale.ROOT, "test accuracy  %.4f", expected))
                .contains(String.format(Locale.ROOT, "result.json of its training: %.4f", expected));
    }

    @Test
    void exportWritesTheOnnxFileAndSaysWhatItHolds() {
        Path onnx = dir.resolve("resnet20.onnx");
        CliRun r = CliRun.of("export", model.toString(), "--onnx", onnx.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(onnx).isNotEmptyFile();
        assertThat(r.out()).contains("input      images: batch×1×28×28 float32")
                .contains("output     logits: batch×10 float32").contains("opset 17");
    }

    /** Bad input: one line naming the file or flag, exit 2, nothing printed or written. */
    @ParameterizedTest
    @ValueSource(strings = {"top0", "top11", "topWithDataset", "limitWithImages", "nothing", "notAnImage",
        "emptyFolder", "noSuchImage", "incompleteModel", "futureModel", "notAModel", "trainingDirectory",
        "exportNotAModel", "exportIntoAFolder"})
    void badInputIsOneLineAndExitTwo(String problem) throws IOException {
        Path bad = Files.createDirectories(dir.resolve("bad-" + problem));
        Path onnx = bad.resolve("out.onnx");
        String m = model.toString();
        String png = pngs[0].toString();
        record Case(List<String> args, String message) {}
        Case c = switch (problem) {
            case "top0" -> new Case(List.of("predict", m, png, "--top", "0"), "--top must be >= 1, found 0");
            case "top11" -> new Case(List.of("predict", m, png, "--top", "11"),
                    "--top must be in 1..10 (the model's classes), found 11");
            case "topWithDataset" -> new Case(List.of("predict", m, "--dataset", dataset, "--top", "2"),
                    "--top applies to images, not to --dataset");
            case "limitWithImages" -> new Case(List.of("predict", m, png, "--limit", "5"),
                    "--limit applies to --dataset only");
            case "nothing" -> new Case(List.of("predict", m),
                    "expected images (IMAGE... or a DIR) or --dataset SPEC, found neither");
            case "notAnImage" -> {
                Path text = Files.writeString(bad.resolve("photo.png"), "not an image");
                yield new Case(List.of("predict", m, png, text.toString()),
                        text + ": unreadable image (no decoder recognises it)");
            }
            case "emptyFolder" -> {
                Files.writeString(bad.resolve("notes.txt"), "no image here");
                yield new Case(List.of("predict", m, bad.toString()), bad + ": no images in it (expected files"
                        + " ending in ");
            }
            case "noSuchImage" -> new Case(List.of("predict", m, bad.resolve("gone.png").toString()),
                    "no such file: " + bad.resolve("gone.png"));
            case "incompleteModel" -> {
                Path copy = copyOfModel(bad);
                Files.delete(copy.resolve("proxynas-0000.params"));
                yield new Case(List.of("predict", copy.toString(), png),
                        copy + ": incomplete model: its weights proxynas-0000.params are missing");
            }
            case "futureModel" -> {
                Path copy = copyOfModel(bad);
                ObjectNode manifest = (ObjectNode) Json.read(copy.resolve("model.json"), JsonNode.class);
                manifest.put("formatVersion", 2);
                Json.write(copy.resolve("model.json"), manifest);
                yield new Case(List.of("predict", copy.toString(), png), copy.resolve("model.json")
                        + ": model format version 2 is not one this ProxyNAS reads (1); use the ProxyNAS that wrote it");
            }
            case "notAModel" -> new Case(List.of("predict", bad.toString(), png),
                    bad + ": not a ProxyNAS model directory (no model.json)");
            case "trainingDirectory" -> new Case(List.of("predict", trainDir.toString(), png),
                    trainDir + ": a training's output directory; its model is " + model);
            case "exportNotAModel" -> new Case(List.of("export", bad.toString(), "--onnx", onnx.toString()),
                    bad + ": not a ProxyNAS model directory (no model.json)");
            case "exportIntoAFolder" -> new Case(List.of("export", m, "--onnx", bad.toString()),
                    "--onnx " + bad + " is a directory; expected a file such as model.onnx");
            default -> throw new IllegalArgumentException(problem);
        };
        CliRun r = CliRun.of(c.args());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("proxynas " + c.args().get(0) + ": " + c.message());
        assertThat(r.out()).isEmpty();
        assertThat(onnx).doesNotExist();
    }

    private static Path copyOfModel(Path parent) throws IOException {
        Path copy = Files.createDirectories(parent.resolve("model"));
        try (var files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }
}
