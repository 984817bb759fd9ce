package org.proxynas;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.nas.space.Genotype;

/** The example of docs/java.md ("Use from Java"), compiled and run exactly as printed there, on a test image. */
class JavaExampleTest {
    private static final String START = "<!-- java-example:start -->";
    private static final String END = "<!-- java-example:end -->";

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleCompilesAndRunsTheFourStepsThenUsesTheTrainedNetwork() throws Exception {
        String readme = Files.readString(Path.of("docs/java.md"));
        String block = readme.substring(readme.indexOf(START) + START.length(), readme.indexOf(END));
        String code = block.substring(block.indexOf("```java") + "```java".length(), block.lastIndexOf("```"));
        Path source = dir.resolve("src/QuickProxySearch.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, code);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(), "-cp",
                classPath(), source.toString());
        assertThat(compiled).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        Path image = dir.resolve("test image.png");
        ImageDataset test = Datasets.open(Datasets.FASHION_MNIST, Split.TEST);
        byte[] pixels = new byte[test.imageBytes()];
        test.readImage(0, pixels, 0);
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setDataElements(0, 0, 28, 28, pixels);
        ImageIO.write(gray, "png", image.toFile());

        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path out = dir.resolve("run");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("QuickProxySearch").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {out.toString(), image.toString()});
        } finally {
            System.setOut(stdout);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(Genotype.parse(lines.get(0))).isEqualTo(Genotype.read(out.resolve("search/genotype.json")));
        assertThat(lines.get(1)).endsWith("% test accuracy");
        assertThat(out.resolve("proxy.json")).isNotEmptyFile();
        assertThat(out.resolve("train/result.json")).isNotEmptyFile();
        assertThat(Datasets.FASHION_MNIST_CLASSES).contains(lines.get(2));
        assertThat(out.resolve("model.onnx")).isNotEmptyFile();
    }

    /** The test class path, expanded from surefire's manifest-only booter jar when it uses one. */
    private static String classPath() throws IOException {
        String cp = System.getProperty("java.class.path");
        if (!cp.contains(File.pathSeparator) && cp.endsWith(".jar")) {
            try (JarFile jar = new JarFile(cp)) {
                String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifest != null) {
                    StringBuilder sb = new StringBuilder();
                    for (String entry : manifest.trim().split("\\s+")) {
                        sb.append(sb.length() == 0 ? "" : File.pathSeparator)
                                .append(Path.of(URI.create(entry)));
                    }
                    return sb.toString();
                }
            }
        }
        return cp;
    }
}
