package org.proxynas.cli;

import java.nio.file.Path;
import org.proxynas.cluster.LocalProcessCluster;
import org.proxynas.cluster.SparkCluster;
import org.proxynas.common.UserError;
import org.proxynas.experiment.StageCluster;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Mixed into the commands that run a study's stage graph: where its stages run. By default one after another in
 * this process; with {@code --jobs N} up to N at once in JVMs of their own on this machine; with
 * {@code --cluster} as tasks of a Spark cluster.
 */
final class StagePlacement {
    @Option(names = "--jobs", paramLabel = "N", description = "Run up to N stages at once, each in a worker JVM"
            + " with an equal share of the cores (default: 1, one stage at a time in this process; for demo one per"
            + " core, at most 4). Each stage's output then goes to a .log file beside its directory under stages/.")
    Integer jobs;

    @Option(names = "--cluster", paramLabel = "MASTER", description = "Run the stages as tasks of this Spark"
            + " cluster (spark://HOST:PORT), every stage whose inputs are done at once. Every worker must see --out,"
            + " the data, any given scores and ProxyNAS at the same paths as here (README, section Cluster).")
    String cluster;

    @Mixin
    ClusterSecretOption secret;

    /** The stages' cluster for a study in {@code out}; null runs them in this process. */
    StageCluster open(Path out) throws Exception {
        return open(out, 1);
    }

    /** As {@link #open(Path)}, running {@code defaultJobs} stages at once when neither option is given. */
    StageCluster open(Path out, int defaultJobs) throws Exception {
        if (jobs != null && jobs < 1) {
            throw new UserError("--jobs must be >= 1, found " + jobs);
        }
        if (cluster != null && jobs != null && jobs != 1) {
            throw new UserError("--jobs and --cluster exclude each other: on a cluster, stages run as many at once"
                    + " as it has task slots");
        }
        if (secret.file != null && cluster == null) {
            throw new UserError("--secret-file applies to --cluster only");
        }
        if (cluster != null) {
            return SparkClassPath.call("--cluster: ", () -> SparkCluster.connect(cluster, secret.file(), out,
                    System.err));
        }
        int n = jobs == null ? defaultJobs : jobs;
        return n == 1 ? null : LocalProcessCluster.start(n, System.err);
    }

    /**
     * The demo's stages at once: one per core, at most 4 (its graph rarely has more ready), as its stages gain
     * less from a second thread than from a second stage (README, section --jobs).
     */
    static int demoJobs() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }
}
