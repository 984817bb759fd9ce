package org.proxynas.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.util.Utils;

/**
 * A Spark standalone master or worker ({@code proxynas spark-master}, {@code spark-worker}) with
 * {@link SparkSecurity#SETTINGS} and the cluster's secret. Spark binds its web UI to the address in the
 * environment variable {@code SPARK_LOCAL_IP}, or to every interface without it, and a JVM cannot set its own
 * environment: so the daemon runs in a JVM of its own, started here with that variable set to the address its
 * RPC listens on, and the secret in {@code _SPARK_AUTH_SECRET}, where Spark reads it (a command line would show
 * it to every local user). That JVM ends with this one.
 */
public final class SparkDaemon {
    /** The environment variable Spark's {@code SecurityManager} reads the secret from. */
    private static final String SECRET_ENV = "_SPARK_AUTH_SECRET";

    /** What runs in the daemon's JVM. */
    public enum Role {
        MASTER,
        WORKER
    }

    private SparkDaemon() {}

    /**
     * This machine's address as Spark picks it when {@code --host} is not given (a non-loopback one where there
     * is one), so that the web UI listens where the RPC does.
     */
    public static String defaultHost() {
        return Utils.localHostName();
    }

    /**
     * Runs Spark's {@code role} with {@code args} (its own options, {@code --host} aside) listening on {@code host}
     * until it ends or this JVM does; its exit status.
     */
    public static int run(Role role, String host, List<String> args, ClusterSecret secret) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // this JVM's options: Spark's --add-opens, the heap the launcher chose
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        SparkSecurity.SETTINGS.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkDaemon.class.getName(),
                role.name(), "--host", host));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("SPARK_LOCAL_IP", host);
        builder.environment().put(SECRET_ENV, secret.value());
        Process daemon = builder.start();
        Thread stop = new Thread(() -> {
            daemon.destroy();
            try {
                daemon.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "proxynas-spark-daemon-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int exit = daemon.waitFor();
        Runtime.getRuntime().removeShutdownHook(stop);
        return exit;
    }

    /** The daemon's JVM: {@code ROLE SPARK-ARGS...}. */
    public static void main(String[] args) {
        // a daemon outliving the command that started it (killed with SIGKILL) would hold its ports unseen
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(1)));
        String[] sparkArgs = Arrays.copyOfRange(args, 1, args.length);
        switch (Role.valueOf(args[0])) {
            case MASTER -> org.apache.spark.deploy.master.Master.main(sparkArgs);
            case WORKER -> org.apache.spark.deploy.worker.Worker.main(sparkArgs);
        }
    }
}
