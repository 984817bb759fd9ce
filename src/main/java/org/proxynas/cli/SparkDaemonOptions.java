package org.proxynas.cli;

import org.proxynas.cluster.SparkDaemon;
import org.proxynas.common.UserError;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Mixed into {@code spark-master} and {@code spark-worker}: where the daemon listens, and the cluster's secret. */
final class SparkDaemonOptions {
    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on, for the cluster's"
            + " connections and the web UI (default: this machine's address as Spark picks it).")
    String host;

    @Mixin
    ClusterSecretOption secret;

    @Mixin
    DebugOption debug;

    /** {@code --host}, or Spark's choice; Spark must be on the class path. */
    String address() {
        return host != null ? host : SparkDaemon.defaultHost();
    }

    /** Spark would print its usage and exit 1 for a port out of range; one line and exit 2 here. */
    static void requirePort(String option, int port, int min) {
        if (port < min || port > 65535) {
            throw new UserError(option + " must be " + min + "-65535, found " + port);
        }
    }
}
