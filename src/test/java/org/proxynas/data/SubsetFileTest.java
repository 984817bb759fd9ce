package org.proxynas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.common.UserError;

class SubsetFileTest {
    @TempDir
    Path tmp;

    @Test
    void readsIndicesInFileOrderFromASmallerPool() throws IOException {
        Path file = tmp.resolve("proxy.json");
        Files.writeString(file, "{\"method\":\"proxy\",\"poolSize\":100,\"indices\":[7,3,99]}");
        assertThat(SubsetFile.read(file, 60000)).containsExactly(7, 3, 99);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"indices\":[1,1]}                     | indices[1] = 1 is a duplicate",
        "{\"indices\":[10]}                      | indices[0] = 10 is outside 0..9",
        "{\"indices\":[-1]}                      | is outside 0..9",
        "{\"indices\":[1.5]}                     | indices[0] is 1.5, expected an integer",
        "{\"indices\":[]}                        | \"indices\" is empty",
        "{\"idx\":[1]}                           | expected a JSON object with an \"indices\" array",
        "{\"indices\":[1,                        | not valid JSON",
        "{\"poolSize\":60000,\"indices\":[1]}    | selected from 60000 training examples, but the training split has only 10"
    })
    void refusesBadFilesNamingTheFileAndTheEntry(String content, String message) throws IOException {
        Path file = tmp.resolve("bad.json");
        Files.writeString(file, content);
        assertThatThrownBy(() -> SubsetFile.read(file, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = tmp.resolve("missing.json");
        assertThatThrownBy(() -> SubsetFile.read(file, 10)).isInstanceOf(UserError.class)
                .hasMessageContaining("missing.json");
    }
}
