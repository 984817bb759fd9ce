package org.proxynas.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.proxynas.cluster.ClusterSecret;
import org.proxynas.cluster.SparkDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code proxynas spark-master}: the Spark standalone master that {@code --cluster} runs stages on. */
@Command(name = "spark-master", mixinStandardHelpOptions = true,
        description = {"Run an Apache Spark standalone master for --cluster until stopped (README, section Cluster).",
            "Only workers and drivers holding its secret (--secret-file, created on the first start) may join or"
                + " submit work; connections are encrypted, and the web UI listens on --host only and cannot kill."})
final class SparkMasterCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7077", paramLabel = "PORT",
            description = "Port for workers and drivers (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--webui-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the web UI; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Mixin
    SparkDaemonOptions daemon;

    @Override
    public Integer call() throws Exception {
        SparkDaemonOptions.requirePort("--port", port, 1);
        SparkDaemonOptions.requirePort("--webui-port", webUiPort, 0);
        ClusterSecret secret = ClusterSecret.createIfAbsent(daemon.secret.file(), System.err);
        return SparkClassPath.call("", () -> {
            String address = daemon.address();
            System.err.println("proxynas: Spark master spark://" + address + ":" + port + ", web UI "
                    + (webUiPort == 0 ? "on a free port of " + address : "http://" + address + ":" + webUiPort));
            return SparkDaemon.run(SparkDaemon.Role.MASTER, address,
                    List.of("--port", Integer.toString(port), "--webui-port", Integer.toString(webUiPort)),
                    secret);
        });
    }
}
