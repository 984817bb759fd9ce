package org.proxynas.nas.space;

import java.util.List;

/** The eight candidate operations of the DARTS search space, in DARTS order (columns of every α matrix). */
public final class Primitives {
    public static final String NONE = "none";

    public static final List<String> NAMES = List.of(
            NONE,
            "max_pool_3x3",
            "avg_pool_3x3",
            "skip_connect",
            "sep_conv_3x3",
            "sep_conv_5x5",
            "dil_conv_3x3",
            "dil_conv_5x5");

    private Primitives() {}

    /** Column of {@code name} in an α matrix; -1 when it is not a search primitive. */
    public static int indexOf(String name) {
        return NAMES.indexOf(name);
    }
}
