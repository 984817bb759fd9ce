package org.proxynas.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.proxynas.common.UserError;
import org.proxynas.nas.space.CellLayout;
import org.proxynas.nas.space.Genotype;

/** Which network a training trains: a CIFAR ResNet, or a DARTS network stacked from a genotype's cells. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NetworkSpec.ResNet.class, name = "resnet"),
    @JsonSubTypes.Type(value = NetworkSpec.Cells.class, name = "cells")
})
public sealed interface NetworkSpec {

    /** Short description for tables and logs, e.g. {@code resnet20} or {@code DARTS_V2 C=36 L=20}. */
    String describe();

    /** A CIFAR ResNet of {@code depth = 6n+2} layers. */
    record ResNet(int depth) implements NetworkSpec {
        public ResNet {
            if (depth < 8 || (depth - 2) % 6 != 0) {
                throw new UserError("arch: ResNet depth must be 6n+2 (resnet20, resnet56), found "
                        + depth);
            }
        }

        /** Parses {@code resnet20}, {@code resnet56}, ... */
        public static ResNet parse(String arch) {
            String a = arch == null ? "" : arch.strip().toLowerCase(java.util.Locale.ROOT);
            if (!a.matches("resnet\\d+")) {
                throw new UserError("arch: expected resnet20 or resnet56, found '" + arch + "'");
            }
            return new ResNet(Integer.parseInt(a.substring("resnet".length())));
        }

        @Override
        public String describe() {
            return "resnet" + depth;
        }
    }

    /**
     * {@code layers} cells of {@code genotype} (reductions at 1/3 and 2/3) with {@code channels} initial
     * channels, with or without DARTS' auxiliary head.
     *
     * @param source how the user named the genotype (built-in name, file or text), for reports
     * @param auxiliary whether to attach the auxiliary head; null: when the images are large enough for it
     */
    record Cells(String source, Genotype genotype, int layers, int channels, Boolean auxiliary)
            implements NetworkSpec {
        public Cells {
            java.util.Objects.requireNonNull(genotype, "genotype");
            CellLayout.requireLayers(layers);
            if (channels < 1) {
                throw new UserError("channels must be >= 1, found " + channels);
            }
        }

        /**
         * Whether the network has the auxiliary head on images of this size. DARTS' CIFAR auxiliary head reads the map
         * after the second reduction (a quarter of the image side) through a 5×5/3 pool and a 2×2 conv, so that map
         * needs 8 px: images of at least 32 px. A head asked for on smaller images is refused here, before a run
         * starts, rather than by the network's first forward pass.
         */
        public boolean auxiliaryFor(int height, int width) {
            boolean fits = Math.min(height, width) / 4 >= 8;
            if (auxiliary == null) {
                return fits;
            }
            if (auxiliary && !fits) {
                throw new UserError("auxiliary: the auxiliary head needs images of at least 32x32 px, found "
                        + height + "x" + width);
            }
            return auxiliary;
        }

        /** The network these cells stack, for images of {@code inputChannels} channels, not yet initialized. */
        public GenotypeNetwork network(int classes, int inputChannels, boolean withAuxiliaryHead) {
            return GenotypeNetwork.builder().setGenotype(genotype).setClasses(classes).setInputChannels(inputChannels)
                    .optChannels(channels).optLayers(layers).optAuxiliary(withAuxiliaryHead).build();
        }

        @Override
        public String describe() {
            String name = source.length() <= 40 && !source.contains("(") ? source : "genotype";
            return name + " C=" + channels + " L=" + layers;
        }
    }
}
