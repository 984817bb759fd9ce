package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/**
 * Running out of memory is one line that says what ran out and how to give more, exit 1; and a small subset of
 * a large IDX split is trained on without the split in memory.
 */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Command(name = "exhaust")
    static final class Exhaust implements Callable<Integer> {
        @Mixin
        DebugOption debug;

        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    /** The real command line with one more command, which runs out of memory. */
    private static CliRun exhaust(String... args) {
        CommandLine cl = ProxyNas.commandLine().addSubcommand(new Exhaust());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        try {
            return new CliRun(cl.execute(args), "", err.toString());
        } catch (OutOfMemoryError e) {
            // JUnit would abort the whole run on it
            throw new AssertionError("the error escaped the command line", e);
        }
    }

    @Test
    void anOutOfMemoryErrorInACommandIsOneLineNamingTheHeapAndTheFlagToRaiseIt() {
        CliRun r = exhaust("exhaust");
        assertThat(r.exit()).isEqualTo(ProxyNas.EXIT_INTERNAL);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("proxynas exhaust: out of memory (Java heap space; the Java heap is limited to ")
                .containsPattern("MB\\); give it more, e\\.g\\. PROXYNAS_JAVA_OPTS=-Xmx\\d+[mg] \\./proxynas exhaust\\R$");

        CliRun debug = exhaust("exhaust", "--debug");
        assertThat(debug.exit()).isEqualTo(ProxyNas.EXIT_INTERNAL);
        assertThat(debug.err()).contains("java.lang.OutOfMemoryError: Java heap space", "\tat ");
    }

    @Test
    void aRealOutOfMemoryEndsTheProcessWithThatLine() throws IOException, InterruptedException {
        // CIFAR-10 is read whole: 12,000 images (37 MB) cannot fit in a 16 MB heap
        Path data = Files.createDirectories(dir.resolve("c10"));
        byte[] batch = new byte[2000 * 3073];
        for (String name : List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5",
                "test_batch")) {
            Files.write(data.resolve(name + ".bin"), batch);
        }
        ChildJvm.Result r = ChildJvm.run("16m", Map.of(), ProxyNas.class.getName(),
                List.of("data", "info", "cifar10:" + data), dir);
        assertThat(r.exit()).as(r.err()).isEqualTo(ProxyNas.EXIT_INTERNAL);
        assertThat(r.err().lines().toList()).containsExactly("proxynas data info: out of memory (Java heap space;"
                + " the Java heap is limited to 16 MB); give it more, e.g. PROXYNAS_JAVA_OPTS=-Xmx32m ./proxynas data"
                + " info cifar10:" + data);
    }

    @Test
    void scoringSixtyFourImagesOfALargeIdxSplitFitsInASmallHeap() throws IOException, InterruptedException {
        // 100,000 images of 28x28 (78 MB) that a 64 MB heap could not hold
        Path data = Files.createDirectories(dir.resolve("idx"));
        writeIdx(data, "train", 100_000);
        writeIdx(data, "t10k", 20_000);
        Path out = dir.resolve("scores.csv");
        ChildJvm.Result r = ChildJvm.run("64m", Map.of("PROXYNAS_CACHE", dir.resolve("cache").toString()),
                ProxyNas.class.getName(), List.of("score", "idx:" + data, "--limit", "64", "--test-limit", "64",
                        "--epochs", "1", "--batch-size", "32", "--out", out.toString()), dir);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(65);
    }

    /** Gzipped like Fashion-MNIST; nearly blank images, so that it compresses to little. */
    private static void writeIdx(Path dir, String prefix, int n) throws IOException {
        try (OutputStream images = gzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"));
                OutputStream labels = gzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            images.write(ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(28).putInt(28).array());
            labels.write(ByteBuffer.allocate(8).putInt(0x801).putInt(n).array());
            byte[] image = new byte[28 * 28];
            for (int i = 0; i < n; i++) {
                image[i % image.length] = (byte) i;
                images.write(image);
                labels.write(i % 10);
            }
        }
    }

    private static OutputStream gzip(Path file) throws IOException {
        return new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
    }
}
