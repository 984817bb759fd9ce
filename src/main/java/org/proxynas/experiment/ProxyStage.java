package org.proxynas.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.proxynas.data.SubsetFile;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.ProxySet;
import org.proxynas.select.SelectionConfig;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.MethodLabel;
import org.proxynas.select.SelectorOptions;

/**
 * A proxy set on disk, made by a selection stage: what searches and ranking trainings read. Both studies
 * plan their sets here, so one set of (scores, method, ratio, seed) is selected once per directory. A set is
 * known before it is selected: every selector picks exactly its {@code size} examples.
 *
 * @param file the subset file ({@code proxy.json}, or {@code subset.json} for all examples)
 */
record ProxyStage(String method, double ratio, long seed, int size, StageStore.Key key, Path file) {
    private static final String PROXY = "proxy.json";
    private static final String SUBSET = "subset.json";

    /** "proxy-r0.1-s0": how stage labels name a set. */
    static String label(String method, double ratio, long seed) {
        return String.format(Locale.ROOT, "%s-r%s-s%d", method, ratio, seed);
    }

    /**
     * Step 2: adds to {@code graph} the selection of one proxy set of the {@code examples} scores in
     * {@code scores} (the stage {@code scoringKey} makes them; {@code embeddings} may be null) by
     * {@code method}, a {@link MethodLabel} label; {@code binWidth} is the study's, for a method that sets
     * none. Cheap, but cached like the rest so its indices never change under a later stage. Once selected, a
     * set that misses or under-represents classes is reported on {@code stages}' progress line.
     */
    static ProxyStage select(StageGraph graph, Stages stages, Path scores, Path embeddings,
            StageStore.Key scoringKey, int examples, String method, double ratio, long seed, double binWidth)
            throws IOException {
        MethodLabel m = MethodLabel.parse(method);
        SelectorOptions options = m.options(binWidth);
        Function<Path, SelectionConfig> selection = dir -> SelectionConfig.builder()
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
                .build();
        StageStore.Key key = StageStore.key("selection", label(method, ratio, seed), selection.apply(Path.of(".")),
                scoringKey);
        graph.add(key, List.of(scoringKey), null, method + " ratio " + ratio + " seed " + seed, 1,
                (dir, stageContext) -> {
                    ProxySet set = SelectionJob.run(selection.apply(dir), stageContext);
                    return StageStore.Finished.of(set.wallSeconds(), Map.of("size", set.size()), PROXY);
                });
        ProxyStage set = new ProxyStage(method, ratio, seed, SelectionJob.sizeForRatio(ratio, examples), key,
                stages.dir(key).resolve(PROXY));
        graph.afterDone(key, () -> {
            // the scorer's warning is the same for every set of these scores: the clock prints it once
            set.read().scorerWarning().ifPresent(stages.clock()::warn);
            ClassWarning warning = set.classWarning();
            if (warning != null) {
                stages.clock().warn(warning.text());
            }
        });
        return set;
    }

    /** The class warnings of {@code sets} once selected, each once. */
    static List<ClassWarning> classWarnings(List<ProxyStage> sets) {
        List<ClassWarning> warnings = new ArrayList<>();
        for (ProxyStage set : sets) {
            ClassWarning warning = set.classWarning();
            if (warning != null && !warnings.contains(warning)) {
                warnings.add(warning);
            }
        }
        return warnings;
    }

    /**
     * The warning a study prints and its report shows for a selected set that misses or under-represents
     * classes, or null; it suggests the balanced variant unless the method is balanced already.
     */
    ClassWarning classWarning() {
        if (method.equals(ExperimentConfig.FULL)) {
            return null;
        }
        String shortfall = read().classShortfall();
        if (shortfall == null) {
            return null;
        }
        MethodLabel m = MethodLabel.parse(method);
        String set = label(method, ratio, seed);
        return new ClassWarning(set, method, set + " " + shortfall + (m.balanced() ? ""
                : "; " + m.withBalanced(true).label() + " selects within each class"));
    }

    /** The selected set, once it is done. */
    ProxySet read() {
        try {
            return ProxySet.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The selection's wall time, once it is done. */
    double seconds(Stages stages) throws IOException {
        return stages.done(key).seconds();
    }

    /** What the subset of the first examples holds. */
    private record FirstExamples(String dataset, int examples) {}

    /**
     * The full-data baseline ({@link ExperimentConfig#FULL}): the first {@code n} examples, written as a subset
     * file so it runs the same path as a proxy. It has no selection seed (-1).
     */
    static ProxyStage full(StageGraph graph, Stages stages, String dataset, int n) throws IOException {
        String full = ExperimentConfig.FULL;
        StageStore.Key key = StageStore.key("selection", full, new FirstExamples(dataset, n));
        graph.add(key, List.of(), null, "all " + n + " examples", 1, (dir, stageContext) -> {
            SubsetFile.writeFirst(dir.resolve(SUBSET), full, n, stages.provenance("none"));
            return StageStore.Finished.of(0, Map.of("size", n), SUBSET);
        });
        return new ProxyStage(full, 1.0, -1, n, key, stages.dir(key).resolve(SUBSET));
    }
}
