package org.proxynas.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;

/** The cluster's secret file: made for its owner alone, all at once, and refused when it cannot be a secret. */
class ClusterSecretTest {
    @TempDir
    Path tmp;

    @Test
    void theMasterCreatesARandomSecretForItsOwnerOnlyAndThenKeepsIt() throws IOException {
        Path file = tmp.resolve("config").resolve("proxynas").resolve("spark.secret");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ClusterSecret created = ClusterSecret.createIfAbsent(file, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("proxynas: created the cluster secret " + file);
        assertThat(created.value()).matches("[0-9a-f]{64}");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }

        log.reset();
        ClusterSecret again = ClusterSecret.createIfAbsent(file, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("proxynas: cluster secret " + file);
        assertThat(again.value()).isEqualTo(created.value());
        assertThat(ClusterSecret.createIfAbsent(tmp.resolve("other"), new PrintStream(new ByteArrayOutputStream()))
                .value()).as("another master's").isNotEqualTo(created.value());
    }

    @Test
    void aFileThatCannotBeTheSecretIsOneLineNamingIt() throws IOException {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> ClusterSecret.read(missing)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("no cluster secret at " + missing + ";").hasMessageContaining("--secret-file");

        Path open = Files.writeString(tmp.resolve("open"), "a".repeat(64));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> ClusterSecret.read(open)).isInstanceOf(UserError.class)
                .hasMessage("the cluster secret " + open + " is open to other users (rw-r-----); make it yours alone:"
                        + " chmod 600 " + open);

        for (String content : new String[] {"", "a".repeat(63), "a".repeat(40) + " " + "a".repeat(40),
            "a".repeat(5000)}) {
            Path bad = Files.writeString(tmp.resolve("bad"), content);
            Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() -> ClusterSecret.read(bad)).isInstanceOf(UserError.class)
                    .hasMessageStartingWith("the cluster secret " + bad + " must be one word of at least 64");
        }

        assertThatThrownBy(() -> ClusterSecret.read(tmp)).isInstanceOf(UserError.class)
                .hasMessage("the cluster secret " + tmp + " is not a file");
    }
}
