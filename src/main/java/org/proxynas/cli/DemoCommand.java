package org.proxynas.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.proxynas.experiment.ExperimentConfig;
import org.proxynas.experiment.ExperimentConfigs;
import org.proxynas.experiment.ExperimentResults;
import org.proxynas.experiment.ExperimentRunner;
import org.proxynas.experiment.StageCluster;
import org.proxynas.report.ReportBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code proxynas demo}: the paper's comparison, small enough for a laptop, with the built-in config. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a small but real experiment on Fashion-MNIST: the paper's proxy selection (as published and"
                + " within each class) vs a random proxy vs the full data, each searched with first-order DARTS and the found cells trained"
                + " with one shared budget (about 6 minutes on 2 CPU cores).",
            "The config is printed into DIR/experiment.yaml; rerun it at larger scale with"
                + " 'proxynas experiment --config ...'."})
final class DemoCommand implements Callable<Integer>, LocksOutputDirectory {
    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR",
            description = "Experiment directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue an interrupted demo from its checkpoints.")
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
        String text = ExperimentConfigs.demoText();
        ExperimentConfig config = ExperimentConfig.parse(text, "built-in demo config");
        ExperimentResults results;
        try (StageCluster stageCluster = placement.open(out, StagePlacement.demoJobs())) {
            results = new ExperimentRunner(config, text, out, run.context(spec).withResume(resume), System.err)
                    .onCluster(stageCluster)
                    .run();
        }
        ReportBuilder.write(out, results, text);
        ExperimentCommand.print(spec, results, out);
        return 0;
    }
}
