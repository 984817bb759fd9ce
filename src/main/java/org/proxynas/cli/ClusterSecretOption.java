package org.proxynas.cli;

import java.nio.file.Path;
import org.proxynas.cluster.ClusterSecret;
import picocli.CommandLine.Option;

/** Mixed into every command that is part of a Spark cluster: where the cluster's shared secret is. */
final class ClusterSecretOption {
    @Option(names = "--secret-file", paramLabel = "FILE", description = "The Spark cluster's shared secret, a file"
            + " only you may read (default: ~/.config/proxynas/spark.secret). spark-master creates it on its first"
            + " start; its workers and drivers need a copy (README, section Cluster).")
    Path file;

    /** The file given, or the default. */
    Path file() {
        return file != null ? file : ClusterSecret.defaultFile();
    }
}
