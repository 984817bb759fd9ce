package org.proxynas.select;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.proxynas.common.Checksums;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.data.DatasetOptions;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.ProxyExport;
import org.proxynas.data.Split;
import org.proxynas.score.Embeddings;
import org.proxynas.score.ScoreTable;
import org.proxynas.score.ScorerRegime;
import org.proxynas.score.ScoresCsv;
/**
 * Step 2 of the method as a job, and the entry points of the select stage: load the scores once ({@link #load}),
 * then choose one proxy set ({@link #run}, {@link #select}) or compare every method ({@link #compare}); {@link #run}
 * writes {@code proxy.json} (and the plot and the exported dataset when asked). When the dataset is named or needed, it is opened with the
 * options it was scored with and checked against the scores, label by label and by content checksum, so
 * a proxy set never records the wrong dataset.
 */
public final class SelectionJob {
    private SelectionJob() {}

    public static ProxySet run(SelectionConfig config, RunContext context) throws IOException {
        LoadedScores loaded = SelectionJob.load(config.scores(), config.embeddings(), config.dataset());
        int count = config.count(loaded.input().size());
        SelectorOptions options = config.options(loaded.dataset().orElse(null));
        Selector selector = Selectors.create(config.method(), options);
        Optional<ImageDataset> source = Optional.empty();
        if (config.export() != null || config.dataset() != null) {
            ImageDataset train = openChecked(loaded, config);
            loaded = loaded.withDataset(loaded.dataset().orElseThrow(), Datasets.checksum(train), train.classNames());
            source = Optional.of(train);
        }
        ProxySet set = SelectionJob.select(loaded, selector, count, config.seed(), options.binWidth(),
                Provenance.capture("none", context.command()));
        if (config.export() != null) {
            ProxyExport.write(loaded.dataset().orElseThrow(), source.orElseThrow(), set.indices(), config.export());
        }
        if (config.plot() != null) {
            SelectionPlot.write(config.plot(), set, loaded.classNames());
        }
        Json.write(config.out(), set);
        return set;
    }

    /** The training split the scores belong to, opened with the options it was scored with and checked. */
    private static ImageDataset openChecked(LoadedScores loaded, SelectionConfig config) throws IOException {
        String spec = loaded.dataset().orElseThrow(() -> new UserError("export needs the dataset: name it, or keep"
                + " the scores' summary (" + ScoresCsv.summaryOf(config.scores()).getFileName() + ") next to "
                + config.scores()));
        ImageDataset train = Datasets.open(spec, Split.TRAIN, loaded.datasetOptions());
        requireScoresOf(loaded, train, spec);
        return train;
    }

    /**
     * Refuses scores that cannot belong to {@code train} (the training split of {@code spec}): more rows than
     * examples (scores may cover only the first examples, never more), another label at a scored index, or a
     * summary that recorded another content checksum. The checksum is of pixels and labels, not of files, so
     * the same data in another format passes. Select and the experiment's given scores both check here.
     */
    public static void requireScoresOf(LoadedScores loaded, ImageDataset train, String spec) {
        int[] labels = train.labels();
        int[] scored = loaded.input().scores().label();
        if (scored.length > labels.length) {
            throw new UserError(loaded.scores() + ": " + scored.length + " rows but dataset " + spec + " has "
                    + labels.length + " training examples");
        }
        for (int i = 0; i < scored.length; i++) {
            if (labels[i] != scored[i]) {
                throw new UserError(loaded.scores() + ": index " + i + " has label " + scored[i] + " but dataset "
                        + spec + " says " + labels[i] + " (scores from another dataset or another order?)");
            }
        }
        String sha = Datasets.checksum(train);
        if (loaded.datasetSha256().isPresent() && !loaded.datasetSha256().get().equals(sha)) {
            throw new UserError(ScoresCsv.summaryOf(loaded.scores()) + " says the scored dataset had SHA-256 "
                    + loaded.datasetSha256().get() + ", " + spec + " has " + sha);
        }
    }

    /**
     * Scores (and embeddings) as read, with where they came from; {@code datasetOptions} are the ones the
     * dataset was scored with (CIFAR-100's coarse labels, a folder's image size), so that reopening it gives
     * the same labels.
     */
    public record LoadedScores(SelectionInput input, Path scores, String scoresSha256, Optional<String> dataset,
                               Optional<String> datasetSha256, List<String> classNames,
                               DatasetOptions datasetOptions, ScorerRegime scorer) {
        public LoadedScores {
            classNames = List.copyOf(classNames);
        }

        /** These scores tied to the dataset they were checked against, identified by its content checksum. */
        public LoadedScores withDataset(String spec, String sha256, List<String> names) {
            return new LoadedScores(input, scores, scoresSha256, Optional.of(spec), Optional.of(sha256), names,
                    datasetOptions, scorer);
        }
    }

    /**
     * Reads and validates {@code scores} (and {@code embeddings} if given). The dataset is
     * {@code datasetSpec} if given, else the one the scores' summary ({@link ScoresCsv#summaryOf}) names, if
     * any; the summary also gives the dataset's checksum, options and class names when it describes the
     * same dataset, and it must describe these scores (its CSV checksum), or it is refused.
     */
    public static LoadedScores load(Path scores, Path embeddings, String datasetSpec) throws IOException {
        ScoreTable table = ScoresCsv.read(scores);
        Optional<Embeddings> emb = Optional.empty();
        if (embeddings != null) {
            Embeddings e = Embeddings.read(embeddings);
            if (e.n() != table.size()) {
                throw new UserError(embeddings + ": " + e.n() + " embeddings but " + scores + " has " + table.size()
                        + " rows");
            }
            emb = Optional.of(e);
        }
        Optional<String> dataset = Optional.ofNullable(datasetSpec);
        Optional<String> datasetSha = Optional.empty();
        List<String> classNames = List.of();
        DatasetOptions options = DatasetOptions.defaults();
        Optional<ScorerRegime> scorer = Optional.empty();
        Path summary = ScoresCsv.summaryOf(scores);
        String scoresSha = Checksums.sha256(scores);
        if (Files.isRegularFile(summary)) {
            JsonNode node = Json.read(summary, JsonNode.class);
            // a summary left by another run would name the wrong dataset: it must describe these very scores
            Optional<String> described = text(node, "scoresSha256");
            if (described.isPresent() && !described.get().equals(scoresSha)) {
                throw new UserError(summary + " describes scores with SHA-256 " + described.get() + ", but "
                        + scores + " has " + scoresSha + " (a summary of another run?)");
            }
            scorer = ScorerRegime.read(node);
            Optional<String> scored = text(node, "dataset");
            if (dataset.isEmpty()) {
                dataset = scored;
            }
            if (dataset.equals(scored)) {
                datasetSha = text(node, "datasetSha256");
                JsonNode names = node.get("classNames");
                if (names != null && names.isArray()) {
                    List<String> list = new ArrayList<>();
                    names.forEach(v -> list.add(v.asText()));
                    classNames = list;
                }
                JsonNode scoredWith = node.path("config").path("datasetOptions");
                if (scoredWith.isObject()) {
                    options = Json.MAPPER.treeToValue(scoredWith, DatasetOptions.class);
                }
            }
        }
        SelectionInput input = new SelectionInput(table, emb, table.numClassesSeen());
        return new LoadedScores(input, scores, scoresSha, dataset, datasetSha, classNames, options,
                scorer.orElseGet(() -> ScorerRegime.of(table)));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
    }

    /** The one rule for a proxy ratio: a fraction of the scored examples, in (0, 1]. */
    public static double requireRatio(double ratio) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new UserError("ratio must be in (0, 1], found " + ratio);
        }
        return ratio;
    }

    /** {@code floor(ratio * n)}, checked: the ratio must be in (0, 1] and select at least one example. */
    public static int sizeForRatio(double ratio, int n) {
        requireRatio(ratio);
        int size = (int) Math.floor(ratio * n);
        if (size < 1) {
            throw new UserError("ratio " + ratio + " of " + n + " examples selects none");
        }
        return size;
    }

    /** Checks an explicit size against the number of scored examples. */
    public static int checkSize(int size, int n) {
        if (size < 1 || size > n) {
            throw new UserError("size must be between 1 and the " + n + " scored examples, found "
                    + size);
        }
        return size;
    }

    /** Runs {@code selector} and describes the result; {@code binWidth} sets the bins the statistics use. */
    public static ProxySet select(LoadedScores loaded, Selector selector, int size, long seed, double binWidth,
                                  Provenance provenance) {
        long start = System.nanoTime();
        SelectorChoice result = selector.select(loaded.input(), size, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        SelectionStats stats = SelectionStats.of(loaded.input(), result.indices(), binWidth);
        return new ProxySet(result.method(), result.parameters(), seed, loaded.dataset().orElse(null),
                loaded.datasetSha256().orElse(null), loaded.scores().toString(), loaded.scoresSha256(),
                result.poolSize(), result.size(), result.indices(), result.indicesSha256(), stats.classBalance(),
                stats.tailBinsCovered(), stats.classShortfall(loaded.classNames()),
                selector.usesScores() ? loaded.scorer() : null, stats, seconds, provenance);
    }

    /**
     * One row of a method comparison: the measures, or, in {@code unavailable}, why the method could not run
     * (null when it ran; the measures are then NaN).
     */
    public record Comparison(String method, String unavailable, int size, double classBalance,
                             double tailBinsCovered, double meanEntropy, double seconds) {}

    /** Every method at the same size and seed, for a side-by-side table. */
    public static List<Comparison> compare(LoadedScores loaded, SelectorOptions options, int size, long seed) {
        List<Comparison> rows = new ArrayList<>();
        for (String name : Selectors.METHODS) {
            Selector selector = Selectors.create(name, options);
            Optional<String> missing = selector.missingInput(loaded.input());
            if (missing.isPresent()) {
                rows.add(new Comparison(name, missing.get(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            ProxySet set = select(loaded, selector, size, seed, options.binWidth(), null);
            rows.add(new Comparison(name, null, set.size(), set.classBalance(), set.tailBinsCovered(),
                    set.stats().entropySelected().mean(), set.wallSeconds()));
        }
        return rows;
    }
}
