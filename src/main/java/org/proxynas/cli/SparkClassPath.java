package org.proxynas.cli;

import java.util.concurrent.Callable;
import org.proxynas.common.UserError;

/**
 * Spark's jars are on the class path only when the launcher runs {@code spark-master}, {@code spark-worker} or a
 * command with {@code --cluster}: a JVM started otherwise gets one line saying so, not a trace.
 */
final class SparkClassPath {
    private SparkClassPath() {}

    static <T> T call(String option, Callable<T> body) throws Exception {
        try {
            return body.call();
        } catch (NoClassDefFoundError e) {
            throw new UserError(option + "Apache Spark is not on the class path (missing " + e.getMessage()
                    + "); run through ./proxynas, which adds target/spark/jars for the cluster's commands");
        }
    }
}
