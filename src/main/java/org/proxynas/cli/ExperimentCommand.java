package org.proxynas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.proxynas.experiment.ExperimentConfig;
import org.proxynas.experiment.ExperimentResults;
import org.proxynas.experiment.ExperimentRunner;
import org.proxynas.experiment.StageCluster;
import org.proxynas.report.ReportBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code proxynas experiment}: score → select → search → evaluate for every method, ratio and seed. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run the full comparison of a config: score once, select every proxy, search on each proxy"
                + " and on the full data, train every found cell with the same budget, for every seed; then"
                + " write results.json and report.html.",
            "Finished stages are reused on a rerun; a changed setting reruns only the stages it affects."})
final class ExperimentCommand implements Callable<Integer>, LocksOutputDirectory {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Experiment config, YAML or JSON (see examples/experiment.yaml).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Experiment directory.")
    Path out;

    @Option(names = "--resume", description = "Continue interrupted stages from their checkpoints"
            + " (without it an interrupted stage starts over; finished stages are always reused).")
    boolean resume;

    @Mixin
    StagePlacement placement;

    @Mixin
    DebugOption debug;

    @Mixin
    RunOptions run;

    @Spec
    CommandSpec spec;

    @Override
    public Path outputDirectory() {
        return out;
    }

    @Override
    public Integer call() throws Exception {
        String text = ExperimentConfig.readText(config);
        ExperimentConfig parsed = ExperimentConfig.parse(text, config.toString());
        ExperimentResults results;
        try (StageCluster stageCluster = placement.open(out)) {
            results = new ExperimentRunner(parsed, text, out, run.context(spec).withResume(resume), System.err)
                    .onCluster(stageCluster)
                    .run();
        }
        ReportBuilder.write(out, results, text);
        print(spec, results, out);
        return 0;
    }

    static void print(CommandSpec spec, ExperimentResults results, Path out) {
        var w = spec.commandLine().getOut();
        w.println();
        w.print(ReportBuilder.table(results));
        w.println();
        if (results.ranking() != null) {
            w.print(ReportBuilder.rankTable(results.ranking()));
            w.println();
        }
        w.println("results: " + out.resolve(ExperimentRunner.RESULTS));
        w.println("report:  " + out.resolve(ReportBuilder.REPORT));
        results.bestModel().ifPresent(best -> {
            w.printf(Locale.ROOT, "best model: %s (%s %.2f, %s, seed %d: %.2f%% test accuracy); try it:%n",
                    out.resolve(best.modelDir()), best.method(), best.ratio(), best.algorithm(), best.seed(),
                    100 * best.testAccuracy());
            results.bestModelCommands(out).forEach(c -> w.println("  " + c));
        });
        w.flush();
    }
}
