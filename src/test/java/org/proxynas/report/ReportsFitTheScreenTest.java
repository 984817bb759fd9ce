package org.proxynas.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cli.ProxyNas;
import org.proxynas.common.Provenance;
import org.proxynas.data.Datasets;
import org.proxynas.data.Split;
import org.proxynas.experiment.ClassWarning;
import org.proxynas.experiment.ExperimentConfig;
import org.proxynas.experiment.ExperimentConfigs;
import org.proxynas.experiment.ExperimentResults;
import org.proxynas.experiment.RankConfig;
import org.proxynas.experiment.RankResults;
import org.proxynas.experiment.RunResult;
import org.proxynas.experiment.SummaryRow;
import org.proxynas.nas.space.Genotype;
import org.proxynas.score.ScorerRegime;
import picocli.CommandLine;

/**
 * The demo's report.html and a ranking study's rank.html, opened in headless Chromium at 1280 px, fit the window:
 * nothing scrolls sideways, every figure (the selection plot with its class-balance panel is 1,800 px wide) is
 * drawn, scaled to the page. The pages are rendered by {@link ReportBuilder} from results shaped as the demo's and
 * a wide study's are (their numbers made up, the proxies' plots drawn by {@code proxynas select}), so no search or
 * training runs. Chromium is Debian's {@code chromium} ({@code .ci/run} installs it); without it the test fails.
 */
class ReportsFitTheScreenTest {
    private static final int WINDOW_WIDTH = 1280;
    private static final List<String> CHROMIUM_NAMES =
            List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    /** Written into a copy of the page once it has loaded: what the window shows and what the page needs. */
    private static final String MEASURE = """
            <script>addEventListener('load', () => {
              const d = document.documentElement, w = d.clientWidth;
              const images = [...document.images];
              const wide = [...document.body.querySelectorAll('*')]
                  .filter(e => e.getBoundingClientRect().right > w + 0.5)
                  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                      + ' right=' + Math.round(e.getBoundingClientRect().right)
                      + ' "' + (e.textContent || e.alt || '').trim().slice(0, 50) + '"');
              const scrolled = [...document.body.querySelectorAll('*')]
                  .filter(e => e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(e).overflowX))
                  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                      + ' ' + e.scrollWidth + '>' + e.clientWidth);
              const out = document.createElement('pre');
              out.id = 'measured';
              out.textContent = 'scrollWidth=' + d.scrollWidth + '\\nclientWidth=' + w + '\\ninnerWidth='
                  + innerWidth + '\\nimages=' + images.length + '\\ndrawn=' + images.filter(i => i.complete
                  && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length
                  + '\\nwidest=' + Math.max(0, ...images.map(i => i.naturalWidth)) + '\\nwide=' + wide.join(' | ')
                  + '\\nscrolled=' + scrolled.join(' | ');
              document.body.appendChild(out);
            });</script>
            """;

    @TempDir
    static Path tmp;
    static Path experimentDir;
    static Path rankDir;
    static ExperimentResults experiment;

    @BeforeAll
    static void renderReports() throws IOException {
        experimentDir = Files.createDirectories(tmp.resolve("demo"));
        RankResults ranking = ranking(List.of("proxy", "proxy+balanced", "random", "zc:synflow", "zc:naswot@proxy",
                "params", "mean:proxy/zc:synflow"), 10);
        experiment = demoResults(experimentDir, ranking);
        ReportBuilder.write(experimentDir, experiment, ExperimentConfigs.demoText());
        rankDir = Files.createDirectories(tmp.resolve("rank"));
        ReportBuilder.writeRank(rankDir, ranking);
    }

    @Test
    void theExperimentReportFitsA1280PixelWindow() throws IOException, InterruptedException {
        Map<String, String> m = measure(experimentDir.resolve(ReportBuilder.REPORT));
        assertFits(m);
        // the proxies' plots (histogram and class balance, side by side) are among the figures, scaled down
        assertThat(Integer.parseInt(m.get("widest"))).isGreaterThan(WINDOW_WIDTH);
    }

    @Test
    void theRankingReportFitsA1280PixelWindow() throws IOException, InterruptedException {
        assertFits(measure(rankDir.resolve(ReportBuilder.RANK_REPORT)));
    }

    /** The console lists the results best first; so does the report, whatever order the config gave. */
    @Test
    void theReportListsResultsByRankAsTheConsoleDoes() throws IOException {
        assertThat(experiment.summary()).extracting(SummaryRow::rank).containsExactly(3, 2, 4, 1);
        String html = Files.readString(experimentDir.resolve(ReportBuilder.REPORT));
        String results = html.substring(html.indexOf("<h2>Results</h2>"), html.indexOf("</table>",
                html.indexOf("<h2>Results</h2>")));
        Matcher row = Pattern.compile("<tr><td class=n>(\\d+)</td><td>([^<]+)").matcher(results);
        List<String> htmlOrder = new ArrayList<>();
        while (row.find()) {
            htmlOrder.add(row.group(1) + " " + row.group(2).strip());
        }
        assertThat(htmlOrder).containsExactly("1 full", "2 proxy+balanced", "3 proxy", "4 random");
        List<String> consoleOrder = ReportBuilder.table(experiment).lines().skip(2)
                .filter(l -> l.strip().matches("\\d+ .*"))
                .map(l -> String.join(" ", List.of(l.strip().split(" +")).subList(0, 2))).toList();
        assertThat(consoleOrder).isEqualTo(htmlOrder);
    }

    private static void assertFits(Map<String, String> m) {
        assertThat(m.get("innerWidth")).as("the window Chromium opened").isEqualTo(Integer.toString(WINDOW_WIDTH));
        assertThat(Integer.parseInt(m.get("images"))).as("figures on the page").isPositive();
        assertThat(m.get("drawn")).as("figures drawn").isEqualTo(m.get("images"));
        assertThat(Integer.parseInt(m.get("scrollWidth")))
                .as("page width at a %d px window (elements past its right edge: %s)", WINDOW_WIDTH, m.get("wide"))
                .isLessThanOrEqualTo(Integer.parseInt(m.get("clientWidth")));
        // nor does any part scroll on its own (the architecture table may, in a study of many more methods)
        assertThat(m.get("scrolled")).as("elements that scroll sideways").isEmpty();
    }

    /**
     * Opens a copy of {@code page} with {@link #MEASURE} in headless Chromium at {@link #WINDOW_WIDTH} px and reads
     * back what it measured.
     */
    private static Map<String, String> measure(Path page) throws IOException, InterruptedException {
        String html = Files.readString(page);
        assertThat(html).contains("</body>");
        Path copy = page.resolveSibling("measured-" + page.getFileName());
        Files.writeString(copy, html.replace("</body>", MEASURE + "</body>"));
        Path out = page.resolveSibling("dom-" + page.getFileName());
        Path err = page.resolveSibling("chromium-" + page.getFileName() + ".log");
        Process p = new ProcessBuilder(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + tmp.resolve("chromium-profile"),
                "--window-size=" + WINDOW_WIDTH + ",900", "--virtual-time-budget=10000", "--dump-dom",
                copy.toUri().toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s; its log: " + err);
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        Matcher measured = Pattern.compile("<pre id=\"measured\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        if (!measured.find()) {
            fail("chromium (exit " + p.exitValue() + ") returned no measurement for " + page + "; its log:\n"
                    + Files.readString(err));
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : measured.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .split("\n")) {
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    /**
     * Chromium: {@code PROXYNAS_CHROMIUM} if set, else the first of {@link #CHROMIUM_NAMES} on the PATH. Missing, the
     * test fails: a page that is never rendered must not count as one that fits.
     */
    private static Path chromium() {
        String given = System.getenv("PROXYNAS_CHROMIUM");
        if (given != null && !given.isBlank()) {
            if (!Files.isExecutable(Path.of(given))) {
                fail("PROXYNAS_CHROMIUM is " + given + ", which is not an executable file; unset it to use the"
                        + " chromium on the PATH (Debian: apt-get install -y chromium)");
            }
            return Path.of(given);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : CHROMIUM_NAMES) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("headless Chromium is needed to check that report.html and rank.html fit a 1280 px window, and"
                + " none of " + CHROMIUM_NAMES + " is on the PATH. Install Debian's: apt-get install -y chromium"
                + " (.ci/run does), or set PROXYNAS_CHROMIUM to the browser's path.");
    }

    /**
     * The demo's results: its config and four groups in its order (proxy, proxy+balanced, random, full) whose
     * accuracies rank 3, 2, 4, 1; each proxy's plot drawn by {@code proxynas select} from made-up scores, search and
     * training curves, a class warning, an unfitted scorer and a ranking study.
     */
    private static ExperimentResults demoResults(Path dir, RankResults ranking) throws IOException {
        Path scores = dir.resolve("scores.csv");
        int[] labels = Datasets.open("fashion-mnist", Split.TRAIN).labels();
        StringBuilder csv = new StringBuilder("index,label,entropy\n");
        Random random = new Random(7);
        for (int i = 0; i < labels.length; i++) {
            csv.append(i).append(',').append(labels[i]).append(',').append(Math.pow(10, -6 * random.nextDouble()))
                    .append('\n');
        }
        Files.writeString(scores, csv);
        String[][] groups = {{"proxy", "0.1", "0.560", "21.9"}, {"proxy+balanced", "0.1", "0.597", "23.7"},
                {"random", "0.1", "0.536", "24.9"}, {"full", "1.0", "0.636", "214.0"}};
        List<String> genotypes = List.of("DARTS_V2", "PC_DARTS", "NASNet", "AmoebaNet");
        List<RunResult> runs = new ArrayList<>();
        for (int g = 0; g < groups.length; g++) {
            String method = groups[g][0];
            double ratio = Double.parseDouble(groups[g][1]);
            String label = method + "-r" + ratio + "-s0";
            String selection = "stages/selection/" + label + "-0a1b2c3d4e";
            if (!method.equals("full")) {
                Path sel = Files.createDirectories(dir.resolve(selection));
                List<String> args = new ArrayList<>(List.of("select", "--scores", scores.toString(), "--dataset",
                        "fashion-mnist", "--method", method.replace("+balanced", ""), "--ratio", groups[g][1],
                        "--seed", "0", "--out", sel.resolve("proxy.json").toString(), "--plot",
                        sel.resolve("proxy.png").toString()));
                if (method.endsWith("+balanced")) {
                    args.add("--balanced");
                }
                cli(args);
            }
            String search = "stages/search/" + label + "-darts-1b2c3d4e5f";
            String training = "stages/training/" + label + "-darts-2c3d4e5f6a";
            double accuracy = Double.parseDouble(groups[g][2]);
            curve(dir.resolve(search), "valAccuracy", 0, 2, accuracy - 0.1);
            curve(dir.resolve(training), "testAccuracy", 0, 2, accuracy);
            runs.add(new RunResult(method, ratio, 0, "darts", (int) Math.floor(ratio * labels.length), 0.01,
                    Double.parseDouble(groups[g][3]), 0, method.startsWith("proxy") ? 24.2 : 0, 84.1 / 4,
                    Genotype.named(genotypes.get(g)).toString(), 52_000 + 3_000L * g, accuracy, accuracy + 0.004,
                    selection, search, training, training + "/model", 0.5));
        }
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        stageSeconds.put("scoring", 24.2);
        stageSeconds.put("selection", 0.0);
        stageSeconds.put("search", 284.5);
        stageSeconds.put("training", 84.1);
        ClassWarning warning = new ClassWarning("proxy-r0.1-s0", "proxy", "proxy-r0.1-s0 misses 3 of 10 classes"
                + " (Coat, Shirt, Bag) and holds 3 classes at under a quarter of its share in the full set"
                + " (T-shirt/top 1.0% vs 9.7%, Pullover 1.5% vs 10.1%, Dress 0.5% vs 9.8%)");
        return new ExperimentResults(ExperimentConfig.parse(ExperimentConfigs.demoText(), "demo"), stageSeconds,
                runs, SummaryRow.summarize(runs), ranking, List.of(warning), new ScorerRegime(0.657, 1.07),
                List.of("./proxynas score fashion-mnist --arch resnet20 --epochs 40 --batch-size 64 --lr 0.1"
                                + " --schedule cosine --limit 2000 --out " + dir.resolve("stages/scoring/s0"),
                        "./proxynas experiment " + dir.resolve("experiment.yaml") + " --out " + dir),
                Provenance.capture("cpu()", List.of("./proxynas", "demo", "--out", dir.toString())));
    }

    /** A {@code log.jsonl} of {@code field} rising to {@code last} over epochs {@code base}..{@code base+epochs-1}. */
    private static void curve(Path stage, String field, int base, int epochs, double last) throws IOException {
        Files.createDirectories(stage);
        StringBuilder log = new StringBuilder();
        for (int e = 0; e < epochs; e++) {
            log.append("{\"epoch\":").append(base + e).append(",\"").append(field).append("\":")
                    .append(last - 0.05 * (epochs - 1 - e)).append("}\n");
        }
        Files.writeString(stage.resolve("log.jsonl"), log);
    }

    /**
     * A study as wide as rank.html gets: {@code n} architectures (sampled ones and built-ins, the longest genotype
     * texts) under two seeds, and {@code methods} of every kind, each a column of the architecture table.
     */
    private static RankResults ranking(List<String> methods, int n) {
        RankConfig config = RankConfig.builder().setDataset("fashion-mnist").setScores(Path.of("runs/scores.csv"))
                .setOut(Path.of("runs/rank")).optMethods(methods).optArchitectures(n - 2)
                .optBiases(List.of("uniform", "parameter-free")).optGenotypes(List.of("DARTS_V2", "PC_DARTS"))
                .optSeeds(List.of(0L, 1L)).optLayers(List.of(5, 8)).optChannels(List.of(8, 16)).build();
        List<String> builtIn = Genotype.builtInNames();
        Random random = new Random(3);
        List<RankResults.Architecture> architectures = new ArrayList<>();
        List<RankResults.Training> trainings = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            String name = a < n - 2 ? String.format("a%02d", a) : config.genotypes().get(a - (n - 2));
            String genotype = Genotype.named(a < n - 2 ? builtIn.get(a % builtIn.size()) : name).toString();
            double full = 0.5 + 0.3 * random.nextDouble();
            architectures.add(new RankResults.Architecture(name, a < n - 2 ? "sampled, parameter-free" : name,
                    genotype, 5 + 3 * (a % 2), 8 * (1 + a % 2), 48_000 + 7_919L * a, full));
            trainings.add(new RankResults.Training(name, "full", 0, 2000, 2, 48_000, full, 31.4, "stages/training/"
                    + name + "-full-s0-3d4e5f6a7b"));
        }
        List<RankResults.MethodRanking> rankings = new ArrayList<>();
        for (String method : methods) {
            String kind = method.startsWith("zc:") || method.equals("params") ? "zero-cost"
                    : method.startsWith("mean:") ? "combined" : "trained";
            List<Double> values = Stream.generate(() -> kind.equals("zero-cost") ? Math.exp(20 * random.nextDouble())
                    : kind.equals("combined") ? 1 + 9 * random.nextDouble() : 0.4 + 0.3 * random.nextDouble())
                    .limit(n).toList();
            RankResults.Estimate tau = new RankResults.Estimate(0.311, -0.089, 0.667);
            rankings.add(new RankResults.MethodRanking(method, kind, 0.1, kind.equals("trained") ? 200 : 64,
                    kind.equals("trained") ? 2 : 0, values, tau, new RankResults.Estimate(0.442, -0.121, 0.833),
                    0.6, rankings.isEmpty() ? null : new RankResults.Estimate(-0.044, -0.356, 0.289),
                    kind.equals("combined") ? List.of(tau, tau) : List.of(), 123.4, 0.123));
        }
        ClassWarning warning = new ClassWarning("proxy-r0.1-s0", "proxy", "proxy-r0.1-s0 misses 3 of 10 classes"
                + " (Coat, Shirt, Bag)");
        return new RankResults(config, architectures, trainings, List.of(), rankings,
                new RankResults.Estimate(0.733, 0.467, 0.911), List.of(warning), new ScorerRegime(1.0, 0.0015),
                Provenance.capture("cpu()", List.of("./proxynas", "rank", "fashion-mnist", "--methods",
                        String.join(",", methods))));
    }

    private static void cli(List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
    }
}
