package org.proxynas.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.proxynas.cluster.ClusterSecret;
import org.proxynas.cluster.SparkDaemon;
import org.proxynas.cluster.SparkSecurity;
import org.proxynas.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code proxynas spark-worker}: a worker of the Spark standalone master, running {@code --cluster} stages. */
@Command(name = "spark-worker", mixinStandardHelpOptions = true,
        description = {"Run an Apache Spark standalone worker of MASTER until stopped (README, section Cluster).",
            "It first proves the cluster's secret (--secret-file) to the master and stops at once when the master"
                + " refuses it; its web UI listens on --host only."})
final class SparkWorkerCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MASTER",
            description = "The master, spark://HOST:PORT, as spark-master prints it.")
    String master;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
            description = "Port for the master's connections; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--webui-port", defaultValue = "8081", paramLabel = "PORT",
            description = "Port of the web UI; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(names = "--cores", paramLabel = "N",
            description = "Task slots: stages at once (default: this machine's cores).")
    Integer cores;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory for all its executors, e.g. 16g or"
            + " 512m (default: this machine's memory less 1g).")
    String memory;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where executors' logs go (default: target/spark/work in the checkout).")
    Path workDir;

    @Mixin
    SparkDaemonOptions daemon;

    @Override
    public Integer call() throws Exception {
        SparkDaemonOptions.requirePort("--port", port, 0);
        SparkDaemonOptions.requirePort("--webui-port", webUiPort, 0);
        List<String> args = new ArrayList<>(List.of(master, "--port", Integer.toString(port), "--webui-port",
                Integer.toString(webUiPort)));
        if (cores != null) {
            if (cores < 1) {
                throw new UserError("--cores must be >= 1, found " + cores);
            }
            args.addAll(List.of("--cores", cores.toString()));
        }
        if (memory != null) {
            if (!memory.matches("[1-9][0-9]*[mMgGtT]")) {
                throw new UserError("--memory must be a size like 16g or 512m, found '" + memory + "'");
            }
            args.addAll(List.of("--memory", memory));
        }
        if (workDir != null) {
            args.addAll(List.of("--work-dir", workDir.toAbsolutePath().toString()));
        }
        return SparkClassPath.call("", () -> {
            List<URI> masters = SparkSecurity.masters(master, "");
            ClusterSecret secret = ClusterSecret.read(daemon.secret.file());
            SparkSecurity.requireAccepted(masters, secret, "");
            System.err.println("proxynas: the Spark master " + master + " accepted the cluster secret "
                    + secret.file());
            return SparkDaemon.run(SparkDaemon.Role.WORKER, daemon.address(), args, secret);
        });
    }
}
