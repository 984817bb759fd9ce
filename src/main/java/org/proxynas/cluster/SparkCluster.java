package org.proxynas.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.proxynas.common.ErrorMessages;
import org.proxynas.common.UserError;
import org.proxynas.experiment.StageCluster;
import org.proxynas.experiment.StageCluster.TaskRun;
import org.proxynas.experiment.StageTask;

/**
 * An Apache Spark cluster running a study's stages: each stage is a Spark job of one task, which calls
 * {@link StageTask#run} on an executor; Spark places it on a free task slot and retries it when its executor
 * is lost, and the retry continues from the stage's checkpoint. Executors find ProxyNAS on this JVM's class
 * path and the study's files at this JVM's paths, so every worker must see both at the same paths (a shared
 * filesystem); {@link #connect} checks that before any stage runs.
 *
 * <p>Spark settings given as {@code -Dspark.*} system properties (through {@code PROXYNAS_JAVA_OPTS}) apply,
 * e.g. {@code spark.executor.memory} (default here 2g) or {@code spark.task.cpus} (default 1: the PyTorch
 * threads each stage uses). Every stage runs in an executor process of its own ({@code spark.executor.cores}
 * is {@code spark.task.cpus}), so a worker with more cores starts more executors. The driver authenticates
 * with the cluster's secret and encrypts its connections ({@link SparkSecurity}); settings that would weaken
 * that are refused.
 */
public final class SparkCluster implements StageCluster {
    private static final int WORKERS_TIMEOUT_SECONDS = 60;
    private static final int SETTLE_MS = 2_000;
    private static final List<String> FORWARDED_ENVIRONMENT = List.of("PROXYNAS_DATA", "PROXYNAS_CACHE");

    private final JavaSparkContext spark;
    private int slots;
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "proxynas-cluster-wait");
        t.setDaemon(true);
        return t;
    });

    private SparkCluster(JavaSparkContext spark) {
        this.spark = spark;
    }

    /**
     * Connects to the Spark master {@code master} ({@code spark://HOST:PORT}) with the cluster's secret in
     * {@code secretFile}, waits for its workers and checks that every one sees {@code study}; a one-line
     * {@link UserError} naming the option when not.
     */
    public static SparkCluster connect(String master, Path secretFile, Path study, PrintStream log)
            throws IOException {
        List<URI> masters = SparkSecurity.masters(master, "--cluster: ");
        ClusterSecret secret = ClusterSecret.read(secretFile);
        long start = System.nanoTime();
        log.println("proxynas: connecting to the Spark cluster " + master + " with the secret " + secret.file());
        SparkSecurity.requireAccepted(masters, secret, "--cluster: ");
        SparkCluster cluster = new SparkCluster(new JavaSparkContext(conf(master, secret, study)));
        try {
            cluster.slots = cluster.awaitExecutors(master);
            log.printf(Locale.ROOT, "proxynas: cluster %s has %d task slot%s (connected in %.1f s)%n", master,
                    cluster.slots, cluster.slots == 1 ? "" : "s", (System.nanoTime() - start) / 1e9);
            cluster.requireSharedDirectory(study, cluster.slots);
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<TaskRun> submit(StageTask task) {
        spark.setJobGroup(task.hash(), task.kind() + " " + task.label(), true);
        JavaFutureAction<List<TaskRun>> job = spark.parallelize(List.of(task), 1)
                .map(t -> t.run(workerName()))
                .collectAsync();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return job.get().get(0);
            } catch (InterruptedException e) {
                job.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        task.label() + " failed on the cluster: " + ErrorMessages.oneLine(e.getCause()), e);
            }
        }, waiters);
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public void close() {
        waiters.shutdownNow();
        spark.stop();
    }

    private static SparkConf conf(String master, ClusterSecret secret, Path study) {
        SparkConf conf = new SparkConf()
                .setMaster(master)
                .setAppName("proxynas " + study.getFileName())
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.executor.memory", "2g")
                .setIfMissing("spark.executor.extraClassPath", absoluteClassPath());
        String threads = conf.get("spark.task.cpus", "1");
        // one stage per executor process: the engine's random generator is the process's, and a stage reseeds
        // it every epoch, so two stages in one JVM would draw from each other's sequence
        conf.setIfMissing("spark.executor.cores", threads);
        if (!conf.get("spark.executor.cores").equals(threads)) {
            throw new UserError("--cluster: spark.executor.cores (" + conf.get("spark.executor.cores")
                    + ") must equal spark.task.cpus (" + threads + "): each stage needs an executor process of its"
                    + " own (the engine's random generator is per process)");
        }
        conf.setIfMissing("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads="
                + threads + " -Dai.djl.pytorch.num_interop_threads=1");
        SparkSecurity.apply(conf, secret);
        conf.setExecutorEnv("OPT_OUT_TRACKING", "true");
        for (String name : FORWARDED_ENVIRONMENT) {
            String value = System.getenv(name);
            if (value != null) {
                conf.setExecutorEnv(name, Path.of(value).toAbsolutePath().toString());
            }
        }
        return conf;
    }

    /**
     * Waits until executors have joined and no more joined for {@link #SETTLE_MS} (the master starts one per task
     * slot of every worker at once, and they come up within a moment of each other); returns their number. Each
     * has {@code spark.task.cpus} cores, one task's, so they are the task slots (Spark's default parallelism is
     * at least 2, also for a single one-core worker).
     */
    private int awaitExecutors(String master) {
        long deadline = System.nanoTime() + WORKERS_TIMEOUT_SECONDS * 1_000_000_000L;
        int executors = 0;
        long changed = System.nanoTime();
        while (executors == 0 || System.nanoTime() - changed < SETTLE_MS * 1_000_000L) {
            if (executors == 0 && System.nanoTime() > deadline) {
                throw new UserError("--cluster: no worker of " + master + " took the application within "
                        + WORKERS_TIMEOUT_SECONDS + " s; are workers started, with free cores and at least "
                        + spark.getConf().get("spark.executor.memory") + " of memory (spark.executor.memory)?");
            }
            sleep(200);
            // the driver is listed among the executors
            int now = spark.sc().statusTracker().getExecutorInfos().length - 1;
            if (now != executors) {
                executors = now;
                changed = System.nanoTime();
            }
        }
        return executors;
    }

    /**
     * Every executor must see {@code study} at this path: one task per slot reads a token written here and
     * writes a file of its own there.
     */
    private void requireSharedDirectory(Path study, int slots) throws IOException {
        Path dir = study.toAbsolutePath();
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        String token = UUID.randomUUID().toString();
        Path probe = dir.resolve(".cluster-probe-" + token);
        Files.writeString(probe, token);
        String probeFile = probe.toString();
        List<String> problems;
        try {
            problems = spark.parallelize(IntStream.range(0, slots).boxed().toList(), slots)
                    .map(i -> probe(probeFile, token, i))
                    .collect();
        } finally {
            Files.deleteIfExists(probe);
            if (created) {
                try (var left = Files.list(dir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                }
            }
        }
        problems.stream().filter(p -> !p.isEmpty()).findFirst().ifPresent(p -> {
            throw new UserError("--cluster: " + p + "; every worker must see the output directory " + dir
                    + " at the same path (a shared filesystem)");
        });
    }

    /**
     * On an executor: "" when it reads the token at {@code file} and can write beside it, else what is wrong;
     * {@code slot} names the file it writes (an executor with several cores runs several probes at once).
     */
    private static String probe(String file, String token, int slot) throws IOException {
        Path path = Path.of(file);
        String where = "the worker " + workerName();
        if (!Files.isRegularFile(path)) {
            return where + " does not see " + path.getParent();
        }
        if (!Files.readString(path).equals(token)) {
            return where + " sees another " + path.getParent() + " than this machine";
        }
        Path mine = path.resolveSibling(path.getFileName() + "-" + slot);
        try {
            Files.writeString(mine, "");
            Files.delete(mine);
        } catch (IOException e) {
            return where + " cannot write to " + path.getParent() + " (" + e.getMessage() + ")";
        }
        return "";
    }

    /** "host (executor 3)". */
    private static String workerName() throws IOException {
        return InetAddress.getLocalHost().getHostName() + " (executor " + SparkEnv.get().executorId() + ")";
    }

    /** This JVM's class path with every entry absolute, for executors started elsewhere. */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry.endsWith("*") ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath()
                        + java.io.File.separator + "*" : Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for workers", e);
        }
    }
}
