package org.proxynas.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.proxynas.data.SubsetFile;
import org.proxynas.select.ProxySet;
import org.proxynas.select.SelectionConfig;
import org.proxynas.select.SelectionJob;

/**
 * A proxy set on disk, made by a selection stage: what searches and ranking trainings read. Both studies
 * make their sets here, so one set of (scores, method, ratio, seed) is selected once per directory.
 *
 * @param seconds the selection's wall time
 * @param file the subset file ({@code proxy.json}, or {@code subset.json} for all examples)
 */
record ProxyStage(String method, double ratio, long seed, int size, double seconds, StageStore.Key key,
        Path file) {
    private static final String PROXY = "proxy.json";
    private static final String SUBSET = "subset.json";

    /** "proxy-r0.1-s0": how stage labels name a set. */
    static String label(String method, double ratio, long seed) {
        return String.format(Locale.ROOT, "%s-r%s-s%d", method, ratio, seed);
    }

    /**
     * Step 2: one proxy set of {@code scores} (the stage {@code scoringKey} made them; {@code embeddings} may
     * be null). Cheap, but cached like the rest so its indices never change under a later stage.
     */
    static ProxyStage select(Stages stages, Path scores, Path embeddings, StageStore.Key scoringKey, String method,
            double ratio, long seed, double binWidth) throws IOException {
        StageStore.Key key = StageStore.key("selection", label(method, ratio, seed),
                Map.of("method", method, "ratio", ratio, "seed", seed, "binWidth", binWidth), scoringKey);
        StageStore.Done done = stages.run(key, null, method + " ratio " + ratio + " seed " + seed, 1,
                (dir, stageContext) -> {
                    ProxySet set = SelectionJob.run(SelectionConfig.builder()
                            .setScores(scores)
                            .setOut(dir.resolve(PROXY))
                            .setRatio(ratio)
                            .optEmbeddings(embeddings)
                            .optMethod(method)
                            .optSeed(seed)
                            .optBinWidth(binWidth)
                            .optPlot(dir.resolve("proxy.png"))
                            .build(), stageContext);
                    return StageStore.Finished.of(set.wallSeconds(), Map.of("size", set.size()), PROXY);
                });
        return new ProxyStage(method, ratio, seed, done.result().path("size").asInt(), done.seconds(), key,
                stages.dir(key).resolve(PROXY));
    }

    /**
     * The full-data baseline ({@link ExperimentConfig#FULL}): the first {@code n} examples, written as a subset
     * file so it runs the same path as a proxy. It has no selection seed (-1).
     */
    static ProxyStage full(Stages stages, String dataset, int n) throws IOException {
        String full = ExperimentConfig.FULL;
        StageStore.Key key = StageStore.key("selection", full, Map.of("dataset", dataset, "examples", n));
        stages.run(key, null, "all " + n + " examples", 1, (dir, stageContext) -> {
            SubsetFile.writeFirst(dir.resolve(SUBSET), full, n, stages.provenance("none"));
            return StageStore.Finished.of(0, Map.of("size", n), SUBSET);
        });
        return new ProxyStage(full, 1.0, -1, n, 0, key, stages.dir(key).resolve(SUBSET));
    }
}
