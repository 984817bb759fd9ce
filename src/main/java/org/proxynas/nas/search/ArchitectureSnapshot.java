package org.proxynas.nas.search;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The architecture at one moment, normalized: softmax(α) per cell type (edges × ops) and, for PC-DARTS,
 * β̂ (per-node softmax of the edge weights). What the log records every epoch and the genotype is derived
 * from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArchitectureSnapshot(float[][] normal, float[][] reduce, float[] edgeNormal, float[] edgeReduce) {

    public ArchitectureSnapshot {
        if ((edgeNormal == null) != (edgeReduce == null)) {
            throw new IllegalArgumentException("edge weights must be given for both cell types or neither");
        }
    }

    /** softmax(α) of the normal cell, scaled per edge by β̂ when there is one (PC-DARTS' genotype rule). */
    @JsonIgnore
    public float[][] normalForGenotype() {
        return scaled(normal, edgeNormal);
    }

    /** As {@link #normalForGenotype()}, for the reduction cell. */
    @JsonIgnore
    public float[][] reduceForGenotype() {
        return scaled(reduce, edgeReduce);
    }

    private static float[][] scaled(float[][] ops, float[] edges) {
        float[][] out = new float[ops.length][];
        for (int e = 0; e < ops.length; e++) {
            out[e] = ops[e].clone();
            if (edges != null) {
                for (int k = 0; k < out[e].length; k++) {
                    out[e][k] *= edges[e];
                }
            }
        }
        return out;
    }
}
