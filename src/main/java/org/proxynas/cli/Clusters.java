package org.proxynas.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.proxynas.cluster.SparkCluster;
import org.proxynas.common.UserError;
import org.proxynas.experiment.StageCluster;

/** {@code --cluster}: Spark's jars are on the class path only when the launcher sees that option. */
final class Clusters {
    private Clusters() {}

    static StageCluster connect(String master, Path out) throws IOException {
        try {
            return SparkCluster.connect(master, out, System.err);
        } catch (NoClassDefFoundError e) {
            throw new UserError("--cluster: Apache Spark is not on the class path (missing " + e.getMessage()
                    + "); run through ./proxynas, which adds target/spark/jars for --cluster");
        }
    }
}
