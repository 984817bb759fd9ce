package org.proxynas.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of ProxyNAS and of the engine it was built against, read from the filtered build resource. */
public final class Versions {
    private static final Properties PROPS = load();

    private Versions() {}

    public static String proxynas() {
        return PROPS.getProperty("proxynas.version");
    }

    public static String djl() {
        return PROPS.getProperty("djl.version");
    }

    /**
     * The libtorch version: the one built against, unless DJL is pointed at another libtorch with
     * {@code PYTORCH_VERSION} (a local CUDA build; see the README section 'GPU').
     */
    public static String pytorch() {
        String override = System.getenv("PYTORCH_VERSION");
        return override == null || override.isBlank() ? PROPS.getProperty("pytorch.version") : override;
    }

    public static String java() {
        return System.getProperty("java.version");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/org/proxynas/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
