package org.proxynas.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashSet;
import java.util.Set;
import org.proxynas.score.ResNetCifar;

/** Builds the network a {@link NetworkSpec} describes, as training builds it, and counts its parameters. */
public final class Networks {
    private Networks() {}

    /**
     * The uninitialized network for images of {@code channels} channels and {@code classes} classes; the same
     * spec and arguments give the same blocks, so weights saved from one load into another.
     */
    public static Block build(NetworkSpec spec, int channels, int classes, boolean auxiliary) {
        if (spec instanceof NetworkSpec.ResNet r) {
            return ResNetCifar.of(r.depth(), classes);
        }
        return ((NetworkSpec.Cells) spec).network(classes, channels, auxiliary);
    }

    /** Trainable parameters, the auxiliary head's excluded (it is dropped at inference). */
    public static long inferenceParameters(Block network) {
        Set<Parameter> auxiliary = new HashSet<>();
        if (network instanceof GenotypeNetwork g) {
            g.auxiliaryHead().ifPresent(h -> h.getParameters().values().forEach(auxiliary::add));
        }
        long n = 0;
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (p.getValue().requiresGradient() && !auxiliary.contains(p.getValue())) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }
}
