package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.Json;
import org.proxynas.common.TextTable;
import org.proxynas.common.UserError;
import org.proxynas.experiment.ExperimentConfig;
import org.proxynas.experiment.ExperimentResults;
import org.proxynas.experiment.ExperimentRunner;
import org.proxynas.experiment.Format;
import org.proxynas.experiment.RankMethod;
import org.proxynas.experiment.RankResults;
import org.proxynas.experiment.RankStudy;
import org.proxynas.experiment.RunResult;
import org.proxynas.experiment.SummaryRow;
import org.proxynas.score.ScorerRegime;
import org.proxynas.nas.space.Genotype;

/**
 * Builds {@code report.html} from {@code results.json} and the stage artifacts it points to, so the report
 * can be rebuilt at any time ({@code proxynas report DIR}) without rerunning anything.
 */
public final class ReportBuilder {
    /** An experiment's report, next to its {@code results.json}. */
    public static final String REPORT = "report.html";
    /** A ranking study's report, next to its {@code rank.json}. */
    public static final String RANK_REPORT = "rank.html";

    private ReportBuilder() {}

    /**
     * A rebuilt report: the results it shows, and each stage output it could not draw from (a deleted stage, a
     * truncated image) with the figure left out for it, so that {@code proxynas report} can say so.
     */
    public record Rebuilt(ExperimentResults results, List<String> leftOut) {}

    /** Rebuilds the report of a finished experiment directory. */
    public static Rebuilt rebuild(Path dir) throws IOException {
        Path resultsFile = dir.resolve(ExperimentRunner.RESULTS);
        if (!Files.isRegularFile(resultsFile)) {
            throw new UserError(dir + ": no " + ExperimentRunner.RESULTS
                    + " (not a finished experiment directory)");
        }
        ExperimentResults results = Json.read(resultsFile, ExperimentResults.class);
        Path configFile = dir.resolve("experiment.yaml");
        String configText = Files.isRegularFile(configFile) ? Files.readString(configFile) : Json.pretty(results.config());
        return new Rebuilt(results, write(dir, results, configText));
    }

    /**
     * Writes {@code report.html} for {@code results} into the experiment's directory; {@code configText} is shown.
     * Returns the stage outputs it found missing or damaged, each with the figure it left out.
     */
    public static List<String> write(Path dir, ExperimentResults results, String configText) throws IOException {
        List<HtmlReport.Figure> ranking = results.ranking() == null ? List.of() : rankFigures(results.ranking());
        List<String> leftOut = new ArrayList<>();
        AtomicFiles.writeString(dir.resolve(REPORT),
                HtmlReport.render(results, figures(dir, results, leftOut), ranking, configText));
        return leftOut;
    }

    /**
     * The results table as printed on the terminal: one row per method × ratio × algorithm, best first. When some
     * search re-selected its proxy, two cost columns join it (search time without the re-selections, and the scoring
     * stage a static proxy needed), so adaptive and static methods are compared at their full costs.
     */
    public static String table(ExperimentResults results) {
        List<SummaryRow> rows = results.summaryByRank();
        boolean adaptive = rows.stream().anyMatch(r -> r.reselectionSecondsMean() > 0);
        List<String> header = new ArrayList<>(List.of("rank", "method", "ratio", "algorithm", "proxy", "search"));
        if (adaptive) {
            header.addAll(List.of("w/o re-sel.", "scoring"));
        }
        header.addAll(List.of("vs full", "params", "test accuracy", "seeds"));
        TextTable t = new TextTable(header.toArray(String[]::new));
        for (SummaryRow r : rows) {
            List<Object> cells = new ArrayList<>(List.of(r.rank(), r.method(),
                    String.format(Locale.ROOT, "%.2f", r.ratio()), r.algorithm(), r.proxySize(),
                    Format.duration(r.searchSecondsMean())));
            if (adaptive) {
                cells.add(Format.duration(r.searchSecondsMean() - r.reselectionSecondsMean()));
                cells.add(r.scoringSecondsMean() > 0 ? Format.duration(r.scoringSecondsMean()) : "-");
            }
            cells.addAll(List.of(Double.isNaN(r.relativeSearchTime()) ? "-"
                            : String.format(Locale.ROOT, "%.3fx", r.relativeSearchTime()),
                    Format.params(r.paramsMean()), Format.accuracy(r.testAccuracyMean(), r.testAccuracyStd()),
                    r.seeds()));
            t.add(cells.toArray());
        }
        return t + scorerLine(results.scorer());
    }

    /**
     * The line under a results table that says whether the scorer had fit its data, with the warning when it had
     * not; empty for results that did not record it.
     */
    static String scorerLine(ScorerRegime scorer) {
        if (scorer == null) {
            return "";
        }
        return scorer.warning().map(w -> "warning: " + w).orElse("scorer: " + scorer.describe()
                + ": in the paper's regime") + "\n";
    }

    /** Writes {@code rank.html}, the ranking study's report, into its directory. */
    public static void writeRank(Path dir, RankResults results) throws IOException {
        AtomicFiles.writeString(dir.resolve(RANK_REPORT), HtmlReport.renderRank(results, rankFigures(results)));
    }

    /**
     * The ranking table as printed on the terminal: all data first, then per method how well it keeps the full-data
     * order and what it cost, each combination's Δτ against its parts, and, with two seeds or more, how well all
     * data keeps its own order.
     */
    public static String rankTable(RankResults results) {
        String first = results.methods().get(0).method();
        TextTable t = new TextTable("method", "ratio", "examples", "epochs", "Kendall τ-b [95% CI]",
                "Spearman ρ [95% CI]", "top-" + results.config().topK(), "Δτ vs " + first + " [95% CI]", "cost",
                "vs full");
        RankResults.Training full = results.fullTraining();
        double fullSeconds = RankResults.trainingSeconds(results.trainings(), ExperimentConfig.FULL);
        t.add(ExperimentConfig.FULL, "1.00", full.examples(), full.epochs(), "–", "–", "–", "–",
                Format.duration(fullSeconds), "1.000x");
        StringBuilder parts = new StringBuilder();
        for (RankResults.MethodRanking m : results.methods()) {
            t.add(m.method(), Format.rankRatio(m), m.proxySize(), m.epochs(), Format.estimate(m.tau()),
                    Format.estimate(m.rho()), Format.share(m.topK(), results.config().topK()),
                    Format.difference(m.tauVsFirst()), Format.duration(m.seconds()),
                    String.format(Locale.ROOT, "%.3fx", m.costRatio()));
            combinationLine(m).ifPresent(line -> parts.append(line).append('\n'));
        }
        String table = t.toString() + parts;
        if (results.fullAcrossSeeds() != null) {
            table += "all data against itself, seed " + results.config().seeds().get(0) + " vs seed "
                    + results.config().seeds().get(1) + ": Kendall τ-b " + Format.estimate(results.fullAcrossSeeds())
                    + "\n";
        }
        return table + scorerLine(results.scorer());
    }

    /** "mean:A/B: Δτ vs A +0.10 [...], vs B +0.02 [...]" for a combination; empty for other methods. */
    static Optional<String> combinationLine(RankResults.MethodRanking m) {
        if (m.tauVsParts().isEmpty()) {
            return Optional.empty();
        }
        RankMethod.Combined c = (RankMethod.Combined) RankMethod.parse(m.method());
        return Optional.of(m.method() + ": Δτ vs " + c.first().label() + " " + Format.difference(m.tauVsParts().get(0))
                + ", vs " + c.second().label() + " " + Format.difference(m.tauVsParts().get(1)));
    }

    /** Per method, its value against full-data accuracy per architecture; then τ per method with its interval. */
    static List<HtmlReport.Figure> rankFigures(RankResults results) {
        List<HtmlReport.Figure> figures = new ArrayList<>();
        double[] full = results.architectures().stream().mapToDouble(RankResults.Architecture::fullAccuracy).toArray();
        for (RankResults.MethodRanking m : results.methods()) {
            double[] values = m.values().stream().mapToDouble(Double::doubleValue).toArray();
            String what = switch (m.kind()) {
                case "trained" -> "test accuracy, trained on the " + m.method() + " proxy";
                case "zero-cost" -> m.method() + " of the untrained network";
                default -> "mean rank by " + m.method().substring(RankMethod.MEAN.length());
            };
            figures.add(new HtmlReport.Figure("Ranking", m.method() + " against all data",
                    "One point per architecture: test accuracy after training on all data (x) and the " + what
                            + " (y). A method that keeps the order puts the points on a rising line; Kendall τ-b "
                            + Format.estimate(m.tau()) + ".",
                    Charts.png(Charts.scatter(m.method() + " vs all data", "test accuracy, trained on all data",
                            what, List.of(new Charts.Series("architectures", full, values))))));
        }
        List<String> names = results.methods().stream().map(RankResults.MethodRanking::method).toList();
        figures.add(new HtmlReport.Figure("Ranking", "Kendall τ-b per method",
                "Bars: τ-b between each method's values and the full-data accuracies; lines: 95% bootstrap intervals"
                        + " over architectures."
                        + " 1 keeps the order exactly, 0 is no better than a random order.",
                Charts.png(Charts.bars("Kendall τ-b: each method vs all data", "τ-b", names,
                        results.methods().stream().mapToDouble(m -> m.tau().value()).toArray(),
                        results.methods().stream().mapToDouble(m -> m.tau().low()).toArray(),
                        results.methods().stream().mapToDouble(m -> m.tau().high()).toArray()))));
        return figures;
    }

    /** The experiment's figures; adds to {@code leftOut} each stage output missing or damaged and what it costs. */
    private static List<HtmlReport.Figure> figures(Path dir, ExperimentResults results, List<String> leftOut)
            throws IOException {
        List<HtmlReport.Figure> figures = new ArrayList<>();
        List<RunResult> firstSeed = firstSeedPerGroup(results.runs());

        Set<String> shownProxies = new HashSet<>();
        for (RunResult r : firstSeed) {
            if (r.selectionDir() == null) { // an adaptive search selects its own proxies
                continue;
            }
            Path selection = dir.resolve(r.selectionDir());
            Path png = selection.resolve("proxy.png");
            if (isImage(png)) {
                if (shownProxies.add(r.selectionDir())) {
                    figures.add(new HtmlReport.Figure("Proxy sets against the full training set",
                            r.method() + ", ratio " + r.ratio() + ", seed " + r.seed(),
                            "Log10-entropy histogram of all scored examples with the selected ones overlaid, and"
                                    + " the class balance of the selection.", Files.readAllBytes(png)));
                }
            } else if (!Files.isDirectory(selection) || Files.isRegularFile(selection.resolve("proxy.json"))) {
                // a selection of all data draws no histogram; a proxy's should be there
                leftOut.add(png + " (" + (Files.exists(png) ? "not a readable image" : "missing")
                        + "): the proxy histogram of " + runName(r));
            }
        }
        for (RunResult r : firstSeed) {
            Genotype g = Genotype.parse(r.genotype());
            String who = r.method() + " r=" + r.ratio() + " " + r.algorithm() + " (seed " + r.seed() + ")";
            figures.add(new HtmlReport.Figure("Found cells", who + ": normal cell", "",
                    Charts.png(CellDiagram.draw(g, false))));
            figures.add(new HtmlReport.Figure("Found cells", who + ": reduction cell", "",
                    Charts.png(CellDiagram.draw(g, true))));
        }
        Map<String, List<Charts.Series>> searchCurves = new LinkedHashMap<>();
        List<Charts.Series> evalCurves = new ArrayList<>();
        for (RunResult r : firstSeed) {
            String name = r.method() + " r=" + r.ratio();
            Path searchLog = dir.resolve(r.searchDir()).resolve("log.jsonl");
            Charts.Series search = curve(searchLog, name, "valAccuracy", 1);
            if (search != null) {
                searchCurves.computeIfAbsent(r.algorithm(), k -> new ArrayList<>()).add(search);
            } else if (!Files.isRegularFile(searchLog)) {
                leftOut.add(searchLog + " (missing): the search curve of " + runName(r));
            }
            Path trainingLog = dir.resolve(r.trainingDir()).resolve("log.jsonl");
            Charts.Series eval = curve(trainingLog, name + " " + r.algorithm(), "testAccuracy", 0);
            if (eval != null) {
                evalCurves.add(eval);
            } else if (!Files.isRegularFile(trainingLog)) {
                leftOut.add(trainingLog + " (missing): the training curve of " + runName(r));
            }
        }
        for (Map.Entry<String, List<Charts.Series>> e : searchCurves.entrySet()) {
            figures.add(new HtmlReport.Figure("Search curves", e.getKey(),
                    "Accuracy of the supernet on the architecture-validation half after each search epoch.",
                    Charts.png(Charts.lines(e.getKey() + ": search validation accuracy", "epoch", "accuracy",
                            e.getValue()))));
        }
        if (!evalCurves.isEmpty()) {
            figures.add(new HtmlReport.Figure("Training learning curves", "test accuracy per epoch",
                    "Each found cell trained with the same training budget (first seed of each group).",
                    Charts.png(Charts.lines("Training: test accuracy", "epoch", "accuracy", evalCurves))));
        }
        figures.add(new HtmlReport.Figure("Search cost against accuracy", "every run",
                "Search wall time against the test accuracy of the cell it found; top left is best.",
                Charts.png(Charts.scatter("Search cost vs test accuracy", "search seconds", "test accuracy",
                        costSeries(results.runs())))));
        return figures;
    }

    private static String runName(RunResult r) {
        return r.method() + " r=" + r.ratio() + " " + r.algorithm() + " seed " + r.seed();
    }

    private static boolean isImage(Path png) {
        try {
            return Files.isRegularFile(png) && ImageIO.read(png.toFile()) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<RunResult> firstSeedPerGroup(List<RunResult> runs) {
        Map<String, RunResult> first = new LinkedHashMap<>();
        for (RunResult r : runs) {
            first.putIfAbsent(r.group(), r);
        }
        return List.copyOf(first.values());
    }

    private static List<Charts.Series> costSeries(List<RunResult> runs) {
        Map<String, List<RunResult>> byMethod = new LinkedHashMap<>();
        for (RunResult r : runs) {
            byMethod.computeIfAbsent(r.method() + " r=" + r.ratio(), k -> new ArrayList<>()).add(r);
        }
        List<Charts.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> e : byMethod.entrySet()) {
            series.add(new Charts.Series(e.getKey(),
                    e.getValue().stream().mapToDouble(RunResult::searchSeconds).toArray(),
                    e.getValue().stream().mapToDouble(RunResult::testAccuracy).toArray()));
        }
        return series;
    }

    /**
     * One metric per epoch from a JSON-lines log, or null when the log is missing. {@code epochBase} turns
     * the log's epoch numbering (0- or 1-based) into 1-based epochs.
     */
    private static Charts.Series curve(Path log, String name, String field, int epochBase) throws IOException {
        if (!Files.isRegularFile(log)) {
            return null;
        }
        List<double[]> points = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = Json.MAPPER.readTree(line);
            if (node.hasNonNull(field)) {
                points.add(new double[] {node.path("epoch").asInt() + epochBase, node.path(field).asDouble()});
            }
        }
        if (points.isEmpty()) {
            return null;
        }
        return new Charts.Series(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }
}
