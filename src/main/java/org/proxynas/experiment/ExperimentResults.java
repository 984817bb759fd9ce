package org.proxynas.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.ShellWords;
import org.proxynas.common.UserError;
import org.proxynas.score.ScorerRegime;

/**
 * What {@code results.json} holds: the config, every run, the per-group summary, the ranking study (null when
 * the config has none), the proxies that miss or under-represent classes ({@code classWarnings}, in words),
 * whether the scorer had fit its data ({@code scorer}, null for results written before it was recorded),
 * wall time per stage, the commands that reproduce it, and provenance. The HTML report
 * is rendered from this plus the stage artifacts it points to.
 */
public record ExperimentResults(
        ExperimentConfig config,
        Map<String, Double> stageSeconds,
        List<RunResult> runs,
        List<SummaryRow> summary,
        RankResults ranking,
        List<ClassWarning> classWarnings,
        ScorerRegime scorer,
        List<String> commands,
        Provenance provenance) {

    public ExperimentResults {
        // read back by `report`: a results.json missing one of these is damaged, and must say so by name
        required(config, "config");
        required(stageSeconds, "stageSeconds");
        required(runs, "runs");
        required(summary, "summary");
        required(commands, "commands");
        required(provenance, "provenance");
        stageSeconds = Map.copyOf(stageSeconds);
        runs = List.copyOf(runs);
        summary = List.copyOf(summary);
        commands = List.copyOf(commands);
        classWarnings = classWarnings == null ? List.of() : List.copyOf(classWarnings);
    }

    /** The summary rows best first, as the console and the report list them; ties keep the config's order. */
    @JsonIgnore
    public List<SummaryRow> summaryByRank() {
        return summary.stream().sorted(Comparator.comparingInt(SummaryRow::rank)).toList();
    }

    /** The run whose trained cell has the highest final test accuracy among those with a model directory. */
    @JsonIgnore
    public Optional<RunResult> bestModel() {
        return runs.stream().filter(r -> r.modelDir() != null)
                .max(Comparator.comparingDouble(RunResult::testAccuracy));
    }

    /**
     * How to try the best model from the directory the experiment ran in ({@code out}): classify images with it,
     * and measure it on the experiment's test examples; nothing without a model.
     */
    @JsonIgnore
    public List<String> bestModelCommands(Path out) {
        return bestModel().map(best -> {
            String model = out.resolve(best.modelDir()).toString();
            List<String> accuracy = new ArrayList<>(List.of("./proxynas", "predict", model, "--dataset",
                    config.dataset()));
            if (config.testLimit() > 0) {
                accuracy.addAll(List.of("--limit", Integer.toString(config.testLimit())));
            }
            return List.of(ShellWords.join(List.of("./proxynas", "predict", model)) + " IMAGE...",
                    ShellWords.join(accuracy));
        }).orElse(List.of());
    }

    @JsonIgnore
    public String provenanceText() {
        try {
            return Json.pretty(provenance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void required(Object value, String key) {
        if (value == null) {
            throw new UserError("no \"" + key + "\" (the file is incomplete or damaged; run the experiment again"
                    + " with --resume to rewrite it)");
        }
    }
}
