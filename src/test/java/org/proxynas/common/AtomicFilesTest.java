package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void failedWriteLeavesOldContentAndNoTempFile() throws IOException {
        Path f = dir.resolve("out.json");
        AtomicFiles.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
                    out.write("partial".getBytes());
                    throw new IOException("disk full");
                }))
                .isInstanceOf(OutputFileException.class)
                .hasMessage("cannot write " + f + ": disk full");
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void aFullDiskUnderAnImageWriterIsReportedWithTheFileAndTheSystemsReason() throws IOException {
        Path png = dir.resolve("plot.png");
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> AtomicFiles.write(png, out -> ImageIO.write(image, "png", new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        throw new IOException("No space left on device");
                    }
                })))
                .isInstanceOf(OutputFileException.class)
                .hasMessage("cannot write " + png + ": No space left on device");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aParentThatIsAFileIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> AtomicFiles.writeString(file.resolve("out.json"), "{}"))
                .isInstanceOf(OutputFileException.class)
                .hasMessage("cannot write " + file.resolve("out.json") + ": " + file + " is not a directory");
    }

    @Test
    void createsParentDirectories() throws IOException {
        Path f = dir.resolve("a/b/c.txt");
        AtomicFiles.writeString(f, "x");
        assertThat(Files.readString(f)).isEqualTo("x");
    }
}
