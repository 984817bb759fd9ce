package org.proxynas.inference;

import java.util.List;

/** One image's most probable classes, most probable first. */
public record ImagePrediction(String image, List<ClassProbability> top) {
    public ImagePrediction {
        top = List.copyOf(top);
    }

    public record ClassProbability(String className, double probability) {}
}
