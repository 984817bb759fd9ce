package org.proxynas.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.proxynas.cluster.LocalProcessCluster;
import org.proxynas.cluster.SparkCluster;
import org.proxynas.common.UserError;
import org.proxynas.experiment.StageCluster;
import picocli.CommandLine.Option;

/**
 * Mixed into the commands that run a study's stage graph: where its stages run. By default one after another in
 * this process; with {@code --jobs N} up to N at once in JVMs of their own on this machine; with
 * {@code --cluster} as tasks of a Spark cluster.
 */
final class StagePlacement {
    @Option(names = "--jobs", defaultValue = "1", paramLabel = "N", description = "Run up to N stages at once,"
            + " each in a JVM of its own with an equal share of the cores (default: ${DEFAULT-VALUE}, one stage"
            + " at a time in this process). Each stage's output then goes to a .log file beside its directory under stages/.")
    int jobs;

    @Option(names = "--cluster", paramLabel = "MASTER", description = "Run the stages as tasks of this Spark"
            + " cluster (spark://HOST:PORT), every stage whose inputs are done at once. Every worker must see --out,"
            + " the data, any given scores and ProxyNAS at the same paths as here (README, section Cluster).")
    String cluster;

    /** The stages' cluster for a study in {@code out}; null runs them in this process. */
    StageCluster open(Path out) throws IOException {
        if (jobs < 1) {
            throw new UserError("--jobs must be >= 1, found " + jobs);
        }
        if (cluster != null && jobs != 1) {
            throw new UserError("--jobs and --cluster exclude each other: on a cluster, stages run as many at once"
                    + " as it has task slots");
        }
        if (cluster != null) {
            return connect(cluster, out);
        }
        return jobs == 1 ? null : LocalProcessCluster.start(jobs, System.err);
    }

    /** Spark's jars are on the class path only when the launcher sees {@code --cluster}. */
    private static StageCluster connect(String master, Path out) throws IOException {
        try {
            return SparkCluster.connect(master, out, System.err);
        } catch (NoClassDefFoundError e) {
            throw new UserError("--cluster: Apache Spark is not on the class path (missing " + e.getMessage()
                    + "); run through ./proxynas, which adds target/spark/jars for --cluster");
        }
    }
}
