package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;

class EmbeddingsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripAndDocumentedLayout() throws IOException {
        float[] data = {1f, -2.5f, 3e-30f, 4f, 5f, 6f};
        Path file = dir.resolve("emb.bin");
        Embeddings.write(file, data, 3, 2);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(16 + 4 * 6);
        assertThat(Arrays.copyOf(bytes, 8)).isEqualTo("PNXEMB01".getBytes());
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(le.getInt(8)).isEqualTo(3);
        assertThat(le.getInt(12)).isEqualTo(2);
        assertThat(le.getFloat(16 + 4)).isEqualTo(-2.5f);
        Embeddings back = Embeddings.read(file);
        assertThat(back.n()).isEqualTo(3);
        assertThat(back.d()).isEqualTo(2);
        assertThat(back.data()).containsExactly(data);
    }

    @Test
    void rejectsBadMagicAndTruncation() throws IOException {
        Path file = dir.resolve("emb.bin");
        Embeddings.write(file, new float[] {1, 2, 3, 4}, 2, 2);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("short.bin");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> Embeddings.read(truncated)).isInstanceOf(UserError.class)
                .hasMessageContaining("header says 2x2 floats = 32 bytes, file has 28");
        bytes[0] = 'X';
        Path wrong = dir.resolve("wrong.bin");
        Files.write(wrong, bytes);
        assertThatThrownBy(() -> Embeddings.read(wrong)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected magic PNXEMB01");
    }

    @Test
    void rejectsWrongShapeAndNonFiniteValues() {
        assertThatThrownBy(() -> new Embeddings(new float[5], 2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Embeddings(new float[] {1, Float.NaN}, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }
}
