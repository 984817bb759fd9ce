package org.proxynas.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.proxynas.common.Json;
import org.proxynas.common.ShellWords;
import org.proxynas.experiment.ClassWarning;
import org.proxynas.experiment.ExperimentConfig;
import org.proxynas.experiment.ExperimentResults;
import org.proxynas.experiment.Format;
import org.proxynas.experiment.RankConfig;
import org.proxynas.experiment.RankCorrelation;
import org.proxynas.experiment.RankResults;
import org.proxynas.experiment.RunResult;
import org.proxynas.experiment.SummaryRow;
import org.proxynas.score.ScorerRegime;

/**
 * Renders the experiment report as one self-contained HTML page (figures embedded as data URIs) so it
 * can be mailed, archived or opened offline.
 */
final class HtmlReport {
    private HtmlReport() {}

    /** A figure of the report: heading, one sentence saying what to look at, and the PNG. */
    record Figure(String section, String title, String caption, byte[] png) {}

    /** The experiment's page; {@code rankingFigures} belong to its ranking study, if it has one. */
    static String render(ExperimentResults results, List<Figure> figures, List<Figure> rankingFigures,
            String configText) {
        StringBuilder h = page("ProxyNAS report");
        h.append("<h1>ProxyNAS experiment: search on proxy data vs full data</h1>");
        h.append("<p>Dataset <b>").append(esc(results.config().dataset())).append("</b>, ")
                .append(results.config().seeds().size()).append(" seed(s), search ")
                .append(esc(String.join(", ", results.config().search().algorithms())))
                .append(". Test accuracy is measured on the test split after training each found cell with the same"
                        + " training budget; it was never used for any choice.</p>");

        h.append("<h2>Results</h2><table><tr><th>rank</th><th>method</th><th>ratio</th><th>algorithm</th>"
                + "<th>proxy size</th><th>search time</th><th>of it re-selection</th><th>vs full</th>"
                + "<th>selection time</th><th>scoring time</th><th>params</th>"
                + "<th>test accuracy (mean ± std)</th><th>class balance</th><th>seeds</th><th>genotype (first seed)</th></tr>");
        for (SummaryRow r : results.summaryByRank()) {
            h.append("<tr><td class=n>").append(r.rank()).append("</td><td>").append(esc(r.method()))
                    .append(flagged(results.classWarnings(), r.method()))
                    .append("</td><td class=n>").append(fmt(r.ratio(), 2)).append("</td><td>").append(esc(r.algorithm()))
                    .append("</td><td class=n>").append(r.proxySize()).append("</td><td class=n>")
                    .append(Format.duration(r.searchSecondsMean())).append("</td><td class=n>")
                    .append(r.reselectionSecondsMean() > 0 ? Format.duration(r.reselectionSecondsMean()) : "–")
                    .append("</td><td class=n>")
                    .append(Double.isNaN(r.relativeSearchTime()) ? "–" : fmt(r.relativeSearchTime(), 3) + "×")
                    .append("</td><td class=n>").append(Format.duration(r.selectionSecondsMean()))
                    .append("</td><td class=n>")
                    .append(r.scoringSecondsMean() > 0 ? Format.duration(r.scoringSecondsMean()) : "–")
                    .append("</td><td class=n>").append(Format.params(r.paramsMean()))
                    .append("</td><td class=n>").append(Format.accuracy(r.testAccuracyMean(), r.testAccuracyStd()))
                    .append("</td><td class=n>")
                    .append(Double.isNaN(r.classBalanceMean()) ? "–" : fmt(r.classBalanceMean(), 2))
                    .append("</td><td class=n>").append(r.seeds()).append("</td><td class=g>")
                    .append(esc(r.genotypes().get(0))).append("</td></tr>");
        }
        h.append("</table>");
        results.bestModel().ifPresent(best -> h.append("<p>Best trained cell: <code>").append(esc(best.modelDir()))
                .append("</code> (").append(esc(best.method())).append(", ").append(esc(best.algorithm()))
                .append(", seed ").append(best.seed()).append(": ").append(fmt(100 * best.testAccuracy(), 2))
                .append("%), a model directory for <code>proxynas predict</code> and <code>proxynas export</code>"
                        + " (paths relative to this report).</p>"));

        h.append("<h2>Time per stage</h2><table><tr><th>stage</th><th>wall time</th></tr>");
        for (Map.Entry<String, Double> e : results.stageSeconds().entrySet()) {
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=n>")
                    .append(Format.duration(e.getValue())).append("</td></tr>");
        }
        h.append("</table><p>Selection and scoring time count against the savings of a proxy search.</p>");
        scorer(h, results.scorer());
        classWarnings(h, results.classWarnings());

        if (results.ranking() != null) {
            h.append("<h2>Ranking: does a proxy keep the order of architectures?</h2>");
            ranking(h, results.ranking(), rankingFigures);
        }

        String section = null;
        for (Figure f : figures) {
            if (!f.section().equals(section)) {
                h.append(section == null ? "" : "</div>");
                section = f.section();
                h.append("<h2>").append(esc(section)).append("</h2><div class=figures>");
            }
            figure(h, f);
        }
        h.append(section == null ? "" : "</div>");

        h.append("<h2>All runs</h2><table><tr><th>method</th><th>ratio</th><th>seed</th><th>algorithm</th>"
                + "<th>search</th><th>training</th><th>test acc</th><th>best test acc</th><th>genotype</th>"
                + "<th>model</th></tr>");
        for (RunResult r : results.runs()) {
            h.append("<tr><td>").append(esc(r.method())).append("</td><td class=n>").append(fmt(r.ratio(), 2))
                    .append("</td><td class=n>").append(r.seed()).append("</td><td>").append(esc(r.algorithm()))
                    .append("</td><td class=n>").append(Format.duration(r.searchSeconds()))
                    .append("</td><td class=n>").append(Format.duration(r.trainingSeconds()))
                    .append("</td><td class=n>").append(fmt(100 * r.testAccuracy(), 2)).append("%</td><td class=n>")
                    .append(fmt(100 * r.bestTestAccuracy(), 2)).append("%</td><td class=g>").append(esc(r.genotype()))
                    .append("</td><td class=g>").append(r.modelDir() == null ? "–" : esc(r.modelDir()))
                    .append("</td></tr>");
        }
        h.append("</table>");

        h.append("<h2>Reproduce</h2><pre>").append(esc(String.join("\n", results.commands()))).append("</pre>");
        h.append("<h3>Config</h3><pre>").append(esc(configText)).append("</pre>");
        h.append("<h3>Provenance</h3><pre>").append(esc(results.provenanceText())).append("</pre>");
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The ranking study's own page, {@code rank.html}. */
    static String renderRank(RankResults results, List<Figure> figures) {
        StringBuilder h = page("ProxyNAS ranking study");
        h.append("<h1>ProxyNAS ranking study: does a proxy keep the order of architectures?</h1>");
        ranking(h, results, figures);
        // quoted for the shell, so the line runs as shown when a path holds a space or a quote
        h.append("<h2>Reproduce</h2><pre>").append(esc(ShellWords.join(results.provenance().command())))
                .append("</pre>");
        h.append("<h3>Config</h3><pre>").append(esc(json(results.config()))).append("</pre>");
        h.append("<h3>Provenance</h3><pre>").append(esc(json(results.provenance()))).append("</pre>");
        h.append("</body></html>\n");
        return h.toString();
    }

    /** What was trained, how well each method keeps the order, the figures, and every architecture. */
    static void ranking(StringBuilder h, RankResults results, List<Figure> figures) {
        RankConfig c = results.config();
        RankResults.Training full = results.fullTraining();
        h.append("<p>").append(results.architectures().size()).append(" architectures (").append(c.architectures())
                .append(" drawn from the DARTS space with seed ").append(c.sampleSeed()).append(" for each operation"
                        + " bias of ").append(esc(String.join(", ", c.biases())))
                .append(c.genotypes().isEmpty() ? "" : ", plus " + esc(String.join(", ", c.genotypes())))
                .append("), each trained as a network of ").append(esc(choices(c.layers()))).append(" cells with C=")
                .append(esc(choices(c.channels()))).append(" on all ").append(full.examples())
                .append(" scored examples of <b>").append(esc(c.dataset())).append("</b> and, for a method that"
                        + " trains, on its ratio ").append(c.ratio()).append(" proxy, ")
                .append(c.budget() == RankConfig.Budget.EPOCHS
                        ? "for the same " + c.epochs() + " epochs"
                        : "for as many steps as " + c.epochs() + " epochs of all data")
                .append(", under seed(s) ").append(c.seeds()).append("; test accuracy on the test split, mean over"
                        + " seeds. A training-free method scores the untrained networks from ")
                .append(c.zeroCostBatches()).append(" mini-batch(es) of ").append(c.zeroCostBatchSize())
                .append(" examples. Kendall's τ-b and Spearman's ρ compare each method's values with the full-data"
                        + " accuracies; intervals are 95% percentile bootstrap intervals over the architectures ("
                        + RankCorrelation.RESAMPLES + " resamples), and Δτ's are paired. Training time excludes"
                        + " the test pass after the last epoch.</p>");

        String first = results.methods().get(0).method();
        h.append("<table><tr><th>method</th><th>ratio</th><th>examples</th><th>epochs</th>"
                + "<th>Kendall τ-b [95% CI]</th><th>Spearman ρ [95% CI]</th><th>top-").append(c.topK())
                .append("</th><th>Δτ vs ").append(breakable(first)).append(" [95% CI]</th><th>cost</th>"
                        + "<th>vs full</th></tr>");
        h.append("<tr><td>").append(ExperimentConfig.FULL).append("</td><td class=n>1.00</td><td class=n>")
                .append(full.examples()).append("</td><td class=n>").append(full.epochs())
                .append("</td><td>–</td><td>–</td><td>–</td><td>–</td><td class=n>")
                .append(Format.duration(RankResults.trainingSeconds(results.trainings(), ExperimentConfig.FULL)))
                .append("</td><td class=n>1.000×</td></tr>");
        for (RankResults.MethodRanking m : results.methods()) {
            h.append("<tr><td>").append(breakable(m.method())).append(flagged(results.classWarnings(), m.method()))
                    .append("</td><td class=n>").append(Format.rankRatio(m))
                    .append("</td><td class=n>").append(m.proxySize()).append("</td><td class=n>").append(m.epochs())
                    .append("</td><td class=n>").append(Format.estimate(m.tau())).append("</td><td class=n>")
                    .append(Format.estimate(m.rho())).append("</td><td class=n>")
                    .append(Format.share(m.topK(), c.topK())).append("</td><td class=n>")
                    .append(Format.difference(m.tauVsFirst())).append("</td><td class=n>")
                    .append(Format.duration(m.seconds())).append("</td><td class=n>")
                    .append(fmt(m.costRatio(), 3)).append("×</td></tr>");
        }
        h.append("</table>");
        for (RankResults.MethodRanking m : results.methods()) {
            ReportBuilder.combinationLine(m).ifPresent(line -> h.append("<p>").append(esc(line)).append("</p>"));
        }
        scorer(h, results.scorer());
        classWarnings(h, results.classWarnings());
        if (results.fullAcrossSeeds() != null) {
            h.append("<p>All data against itself, seed ").append(c.seeds().get(0)).append(" vs seed ")
                    .append(c.seeds().get(1)).append(": Kendall τ-b ")
                    .append(Format.estimate(results.fullAcrossSeeds()))
                    .append(". No proxy can be expected to keep more of the order than training noise leaves.</p>");
        }
        h.append("<div class=figures>");
        for (Figure f : figures) {
            figure(h, f);
        }
        h.append("</div>");

        // a column per method: a study of many methods can outgrow the page, and then only this table scrolls
        h.append("<h3>Architectures</h3><div class=wide><table><tr><th>name</th><th>source</th><th>L</th><th>C</th>"
                + "<th>params</th><th>all data</th>");
        for (RankResults.MethodRanking m : results.methods()) {
            h.append("<th>").append(breakable(m.method())).append("</th>");
        }
        h.append("<th>genotype</th></tr>");
        for (int i = 0; i < results.architectures().size(); i++) {
            RankResults.Architecture a = results.architectures().get(i);
            h.append("<tr><td>").append(esc(a.name())).append("</td><td>").append(esc(a.source()))
                    .append("</td><td class=n>").append(a.layers()).append("</td><td class=n>").append(a.channels())
                    .append("</td><td class=n>").append(Format.params(a.parameters()))
                    .append("</td><td class=n>").append(fmt(100 * a.fullAccuracy(), 2)).append("%</td>");
            for (RankResults.MethodRanking m : results.methods()) {
                h.append("<td class=n>").append(Format.rankValue(m, m.values().get(i))).append("</td>");
            }
            h.append("<td class=g>").append(esc(a.genotype())).append("</td></tr>");
        }
        h.append("</table></div>");
    }

    /** A list of choices as the config gives it: "5", or "3, 5, 8". */
    private static String choices(List<Integer> values) {
        return values.size() == 1 ? values.get(0).toString()
                : String.join(", ", values.stream().map(String::valueOf).toList());
    }

    private static String json(Object value) {
        try {
            return Json.pretty(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mark after a method one of whose proxies is in {@code warnings}. */
    private static String flagged(List<ClassWarning> warnings, String method) {
        return warnings.stream().anyMatch(w -> w.method().equals(method))
                ? " <span title=\"misses or under-represents classes\">⚠</span>" : "";
    }

    /**
     * The scorer's measures against the paper's regime, flagged when outside it; nothing for results that did not
     * record them.
     */
    private static void scorer(StringBuilder h, ScorerRegime scorer) {
        if (scorer == null) {
            return;
        }
        if (scorer.fitted()) {
            h.append("<p>Scorer: ").append(esc(scorer.describe())).append(": in the paper's regime.</p>");
        } else {
            h.append("<div class=warn><b>Scorer:</b> ").append(esc(scorer.warning().orElseThrow()))
                    .append(".</div>");
        }
    }

    /** A flagged list of the proxies that miss or under-represent classes; nothing when there are none. */
    private static void classWarnings(StringBuilder h, List<ClassWarning> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        h.append("<div class=warn><b>Class balance:</b> these proxies miss classes or hold a class at under a quarter"
                + " of its share in the full set; a search or ranking on them sees a different task.<ul>");
        for (ClassWarning w : warnings) {
            h.append("<li>").append(esc(w.text())).append("</li>");
        }
        h.append("</ul></div>");
    }

    /**
     * The page's start: title and style, up to the open body. The page fits the window it is opened in (a test
     * renders it at 1280 px): figures scale down to the text's width and wrap onto as many rows as they need,
     * genotypes, paths and preformatted text break anywhere, tables leave their columns to wrap, and the one table
     * whose columns grow with the study (the architectures', a column per method) scrolls on its own when it must.
     */
    private static StringBuilder page(String title) {
        return new StringBuilder().append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(esc(title)).append("</title><style>")
                .append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}")
                .append(".wide{overflow-x:auto}th{background:#f0f0f0}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("td.g{font-family:monospace;font-size:11px;word-break:break-all}")
                .append(".figures{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start;margin:1em 0}")
                .append("figure{margin:0;min-width:0;max-width:100%}img{display:block;max-width:100%;height:auto}")
                .append("figcaption{font-size:12px;color:#555;max-width:640px}")
                .append(".warn{background:#fff4e0;border-left:4px solid #e69500;padding:0.5em 1em;margin:1em 0}")
                .append("pre{background:#f7f7f7;padding:0.7em;white-space:pre-wrap;overflow-wrap:anywhere}")
                .append("</style></head><body>");
    }

    private static void figure(StringBuilder h, Figure f) {
        h.append("<figure><img alt=\"").append(esc(f.title())).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(f.png())).append("\"><figcaption><b>")
                .append(esc(f.title())).append("</b> ").append(esc(f.caption())).append("</figcaption></figure>");
    }

    private static String fmt(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /**
     * A method's label that may wrap after its separators ({@code mean:proxy/zc:synflow}, {@code zc:naswot@proxy},
     * {@code proxy+balanced}), so a column per method still fits the page.
     */
    private static String breakable(String label) {
        return esc(label).replaceAll("([:/@+])", "$1<wbr>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
