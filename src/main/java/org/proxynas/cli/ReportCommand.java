package org.proxynas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.proxynas.report.ReportBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proxynas report DIR}: rebuild report.html of a finished experiment without rerunning it. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild DIR/report.html from DIR/results.json and the stage outputs, and print the table.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "An experiment directory (written by experiment or demo).")
    Path dir;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ReportBuilder.Rebuilt rebuilt = ReportBuilder.rebuild(dir);
        ExperimentCommand.print(spec, rebuilt.results(), dir);
        PrintWriter err = spec.commandLine().getErr();
        for (String missing : rebuilt.leftOut()) {
            err.println("proxynas report: warning: " + missing + " is left out of the report");
        }
        err.flush();
        return 0;
    }
}
