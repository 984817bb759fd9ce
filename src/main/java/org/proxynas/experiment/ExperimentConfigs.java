package org.proxynas.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The built-in configs: the demo's, shipped in the jar so {@code proxynas demo} needs no file. */
public final class ExperimentConfigs {
    private ExperimentConfigs() {}

    /** The demo config's YAML text. */
    public static String demoText() {
        try (InputStream in = ExperimentConfigs.class.getResourceAsStream("demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("demo.yaml missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
