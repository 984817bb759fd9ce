package org.proxynas.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.proxynas.data.SubsetFile;
import org.proxynas.select.ProxySet;
import org.proxynas.select.SelectionConfig;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.SelectionMethod;
import org.proxynas.select.SelectorOptions;

/**
 * A proxy set on disk, made by a selection stage: what searches and ranking trainings read. Both studies
 * make their sets here, so one set of (scores, method, ratio, seed) is selected once per directory.
 *
 * @param seconds the selection's wall time
 * @param file the subset file ({@code proxy.json}, or {@code subset.json} for all examples)
 * @param classShortfall the classes the set misses or under-represents, in words, or null
 */
record ProxyStage(String method, double ratio, long seed, int size, double seconds, StageStore.Key key,
        Path file, String classShortfall) {
    private static final String PROXY = "proxy.json";
    private static final String SUBSET = "subset.json";

    /** "proxy-r0.1-s0": how stage labels name a set. */
    static String label(String method, double ratio, long seed) {
        return String.format(Locale.ROOT, "%s-r%s-s%d", method, ratio, seed);
    }

    /**
     * Step 2: one proxy set of {@code scores} (the stage {@code scoringKey} made them; {@code embeddings} may
     * be null) by {@code method}, a {@link SelectionMethod} label; {@code binWidth} is the study's, for a
     * method that sets none. Cheap, but cached like the rest so its indices never change under a later stage.
     */
    static ProxyStage select(Stages stages, Path scores, Path embeddings, StageStore.Key scoringKey, String method,
            double ratio, long seed, double binWidth) throws IOException {
        SelectionMethod m = SelectionMethod.parse(method);
        SelectorOptions options = m.options(binWidth);
        Map<String, Object> settings = new HashMap<>(Map.of("method", m.name(), "ratio", ratio, "seed", seed,
                "binWidth", options.binWidth()));
        settings.putAll(m.nonDefaultSettings());
        StageStore.Key key = StageStore.key("selection", label(method, ratio, seed), settings, scoringKey);
        StageStore.Done done = stages.run(key, null, method + " ratio " + ratio + " seed " + seed, 1,
                (dir, stageContext) -> {
                    ProxySet set = SelectionJob.run(SelectionConfig.builder()
                            .setScores(scores)
                            .setOut(dir.resolve(PROXY))
                            .setRatio(ratio)
                            .optEmbeddings(embeddings)
                            .optMethod(m.name())
                            .optSeed(seed)
                            .optBinWidth(options.binWidth())
                            .optProbability(options.probability())
                            .optLowFraction(options.lowFraction())
                            .optBalanced(options.balanced())
                            .optPlot(dir.resolve("proxy.png"))
                            .build(), stageContext);
                    return StageStore.Finished.of(set.wallSeconds(), Map.of("size", set.size()), PROXY);
                });
        Path file = stages.dir(key).resolve(PROXY);
        return new ProxyStage(method, ratio, seed, done.result().path("size").asInt(), done.seconds(), key, file,
                ProxySet.read(file).classShortfall());
    }

    /** The class warnings of {@code sets}, each printed once on {@code clock}'s log as it is found. */
    static List<ClassWarning> classWarnings(List<ProxyStage> sets, StageClock clock) {
        List<ClassWarning> warnings = new ArrayList<>();
        for (ProxyStage set : sets) {
            ClassWarning warning = set.classWarning();
            if (warning != null && !warnings.contains(warning)) {
                warnings.add(warning);
                clock.warn(warning.text());
            }
        }
        return warnings;
    }

    /**
     * The warning a study prints and its report shows for a set that misses or under-represents classes, or
     * null; it suggests the balanced variant unless the method is balanced already.
     */
    ClassWarning classWarning() {
        if (classShortfall == null) {
            return null;
        }
        SelectionMethod m = SelectionMethod.parse(method);
        String set = label(method, ratio, seed);
        return new ClassWarning(set, method, set + " " + classShortfall + (m.balanced() ? ""
                : "; " + m.withBalanced(true).label() + " selects within each class"));
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
        return new ProxyStage(full, 1.0, -1, n, 0, key, stages.dir(key).resolve(SUBSET), null);
    }
}
