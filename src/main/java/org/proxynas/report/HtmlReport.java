package org.proxynas.report;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the experiment report as one self-contained HTML page (figures embedded as data URIs) so it
 * can be mailed, archived or opened offline.
 */
final class HtmlReport {
    private HtmlReport() {}

    /** A figure of the report: heading, one sentence saying what to look at, and the PNG. */
    record Figure(String section, String title, String caption, byte[] png) {}

    static String render(ExperimentResults results, List<Figure> figures, String configText) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ProxyNAS report</title><style>")
                .append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}")
                .append("th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("td.g{font-family:monospace;font-size:11px;max-width:520px;word-break:break-all}")
                .append("figure{display:inline-block;margin:0.5em;vertical-align:top}")
                .append("figcaption{font-size:12px;color:#555;max-width:640px}")
                .append("pre{background:#f7f7f7;padding:0.7em;overflow-x:auto}</style></head><body>");
        h.append("<h1>ProxyNAS experiment: search on proxy data vs full data</h1>");
        h.append("<p>Dataset <b>").append(esc(results.config().dataset())).append("</b>, ")
                .append(results.config().seeds().size()).append(" seed(s), search ")
                .append(esc(String.join(", ", results.config().search().algorithms())))
                .append(". Test accuracy is measured on the test split after training each found cell with the same"
                        + " evaluation budget; it was never used for any choice.</p>");

        h.append("<h2>Results</h2><table><tr><th>rank</th><th>method</th><th>ratio</th><th>algorithm</th>"
                + "<th>proxy size</th><th>search time</th><th>vs full</th><th>selection time</th><th>params</th>"
                + "<th>test accuracy (mean ± std)</th><th>seeds</th><th>genotype (first seed)</th></tr>");
        for (SummaryRow r : results.summary()) {
            h.append("<tr><td class=n>").append(r.rank()).append("</td><td>").append(esc(r.method()))
                    .append("</td><td class=n>").append(fmt(r.ratio(), 2)).append("</td><td>").append(esc(r.algorithm()))
                    .append("</td><td class=n>").append(r.proxySize()).append("</td><td class=n>")
                    .append(Format.duration(r.searchSecondsMean())).append("</td><td class=n>")
                    .append(Double.isNaN(r.relativeSearchTime()) ? "–" : fmt(r.relativeSearchTime(), 3) + "×")
                    .append("</td><td class=n>").append(Format.duration(r.selectionSecondsMean()))
                    .append("</td><td class=n>").append(Format.params(r.paramsMean()))
                    .append("</td><td class=n>").append(Format.accuracy(r.testAccuracyMean(), r.testAccuracyStd()))
                    .append("</td><td class=n>").append(r.seeds()).append("</td><td class=g>")
                    .append(esc(r.genotypes().get(0))).append("</td></tr>");
        }
        h.append("</table>");

        h.append("<h2>Time per stage</h2><table><tr><th>stage</th><th>wall time</th></tr>");
        for (Map.Entry<String, Double> e : results.stageSeconds().entrySet()) {
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=n>")
                    .append(Format.duration(e.getValue())).append("</td></tr>");
        }
        h.append("</table><p>Selection and scoring time count against the savings of a proxy search.</p>");

        String section = null;
        for (Figure f : figures) {
            if (!f.section().equals(section)) {
                section = f.section();
                h.append("<h2>").append(esc(section)).append("</h2>");
            }
            h.append("<figure><img alt=\"").append(esc(f.title())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(f.png())).append("\"><figcaption><b>")
                    .append(esc(f.title())).append("</b> ").append(esc(f.caption())).append("</figcaption></figure>");
        }

        h.append("<h2>All runs</h2><table><tr><th>method</th><th>ratio</th><th>seed</th><th>algorithm</th>"
                + "<th>search</th><th>evaluation</th><th>test acc</th><th>best test acc</th><th>genotype</th></tr>");
        for (RunResult r : results.runs()) {
            h.append("<tr><td>").append(esc(r.method())).append("</td><td class=n>").append(fmt(r.ratio(), 2))
                    .append("</td><td class=n>").append(r.seed()).append("</td><td>").append(esc(r.algorithm()))
                    .append("</td><td class=n>").append(Format.duration(r.searchSeconds()))
                    .append("</td><td class=n>").append(Format.duration(r.evaluationSeconds()))
                    .append("</td><td class=n>").append(fmt(100 * r.testAccuracy(), 2)).append("%</td><td class=n>")
                    .append(fmt(100 * r.bestTestAccuracy(), 2)).append("%</td><td class=g>").append(esc(r.genotype()))
                    .append("</td></tr>");
        }
        h.append("</table>");

        h.append("<h2>Reproduce</h2><pre>").append(esc(String.join("\n", results.commands()))).append("</pre>");
        h.append("<h3>Config</h3><pre>").append(esc(configText)).append("</pre>");
        h.append("<h3>Provenance</h3><pre>").append(esc(results.provenanceText())).append("</pre>");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String fmt(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
