package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.internal.config.package$;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import picocli.CommandLine;
import scala.Option;

/**
 * {@code experiment --cluster} against a real Spark standalone cluster on this machine (a master and two
 * workers, each a JVM of its own, the driver a third as the launcher starts it): the results equal a local
 * run's, a search whose worker is killed continues from its checkpoint elsewhere, and a master or directory
 * the workers cannot use is a one-line error. Only who holds the master's secret gets in, the secret shows
 * nowhere, and the web UIs listen on the daemons' address only. And {@code --jobs}, the same stages side by side in worker JVMs
 * of this machine: the local run's results, its errors, and no worker outliving its driver.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterExperimentTest {
    /**
     * Scores in two shards, two proxies and three search epochs: stages side by side, and a search long enough
     * to kill.
     */
    private static final String TINY = """
            dataset: fashion-mnist
            limit: 200
            testLimit: 200
            seeds: [0]
            scoring: {epochs: 1, batchSize: 50, shards: 2}
            selection: {methods: [proxy, random], ratios: [0.25]}
            search: {algorithms: [darts], epochs: 3, layers: 3, channels: 4, batchSize: 25}
            training: {epochs: 1, layers: 3, channels: 4, batchSize: 50, auxiliary: false, cutout: 0,
                         dropPath: 0.0, trainLimit: 200}
            """;

    @TempDir
    static Path tmp;
    static Path config;
    static JsonNode local;
    static LocalSparkCluster cluster;

    @BeforeAll
    static void startClusterAndRunLocally() throws Exception {
        cluster = LocalSparkCluster.start(tmp.resolve("cluster"), 2);
        config = tmp.resolve("tiny.yaml");
        Files.writeString(config, TINY);
        Path out = tmp.resolve("local");
        CommandLine cl = ProxyNas.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("experiment", "--config", config.toString(), "--out", out.toString()))
                .as(err.toString()).isZero();
        local = comparable(out);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anExperimentOnTheClusterHasTheResultsOfTheLocalRun() throws Exception {
        Path out = tmp.resolve("on-cluster");
        Set<Path> before = cluster.applications();
        ChildJvm.Result r = driver(List.of("--out", out.toString()), "run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("task slots").contains(" done on ").contains("on the worker");
        assertThat(comparable(out)).isEqualTo(local);
        assertThat(out.resolve("report.html")).isRegularFile();
        assertThat(cluster.executorLog(0, before) + cluster.executorLog(1, before)).as("stages ran on the executors")
                .contains("scores of examples 0-100").contains("scores of examples 100-200")
                .contains("[search").contains("[training");
    }

    @Test
    @Order(3)
    void aSearchWhoseWorkerIsKilledContinuesFromItsCheckpointOnAnother() throws Exception {
        Path out = tmp.resolve("killed");
        Set<Path> before = cluster.applications();
        Process driver = startDriver(List.of("--out", out.toString()), "killed");
        int victim = awaitSearchCheckpoint(out, driver, before);
        cluster.kill(victim);
        assertThat(driver.waitFor(5, TimeUnit.MINUTES)).as("the driver finished").isTrue();
        String err = Files.readString(tmp.resolve("killed-driver").resolve("stderr"));
        assertThat(driver.exitValue()).as(err).isZero();
        assertThat(cluster.executorLog(1 - victim, before)).as(err).contains("continues from its checkpoint");
        assertThat(comparable(out)).isEqualTo(local);
    }

    @Test
    @Order(2)
    void aRankingStudyOnTheClusterHasTheResultsOfTheLocalRun() throws Exception {
        List<String> rank = List.of("rank", "fashion-mnist", "--scores", localScores().toString(), "--methods",
                "proxy", "--ratio", "0.25", "--architectures", "3", "--epochs", "1", "--layers", "3", "--channels",
                "4", "--batch-size", "25", "--test-limit", "100");
        List<String> inProcess = new ArrayList<>(rank);
        inProcess.addAll(List.of("--out", tmp.resolve("rank-local").toString()));
        CommandLine cl = ProxyNas.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(inProcess.toArray(String[]::new))).as(err.toString()).isZero();

        Path out = tmp.resolve("rank-cluster");
        List<String> onCluster = new ArrayList<>(rank);
        onCluster.addAll(List.of("--out", out.toString()));
        onCluster.addAll(cluster.driverOptions());
        ChildJvm.Result r = await(startJvm(onCluster, "rank"), "rank");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(comparable(out, "rank.json")).isEqualTo(comparable(tmp.resolve("rank-local"), "rank.json"));
    }

    @Test
    @Order(2)
    void aStageThatFailsOnEveryAttemptFailsTheExperimentWithItsOwnMessage() throws Exception {
        Path scores = localScores();
        // given scores come without embeddings, which k-center needs: the selection stage fails on the worker
        Path failing = tmp.resolve("failing.yaml");
        Files.writeString(failing, TINY.replace("scoring: {epochs: 1, batchSize: 50, shards: 2}",
                "scoring: {scores: '" + scores + "'}").replace("[proxy, random]", "[kcenter]"));
        Path out = tmp.resolve("failing");
        List<String> command = new ArrayList<>(List.of("experiment", "--config", failing.toString(), "--out",
                out.toString()));
        command.addAll(cluster.driverOptions());
        ChildJvm.Result r = await(startJvm(command, "failing"), "failing");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("proxynas experiment: kcenter-r0.25-s0: method kcenter needs embeddings");
        assertThat(out.resolve("results.json")).doesNotExist();
    }

    @Test
    void aMasterThatIsNotThereOrNotASparkMasterIsOneLineAndLeavesNothing() {
        Map<String, String> expected = Map.of(
                "spark://127.0.0.1:1", "--cluster: cannot reach the Spark master at 127.0.0.1:1",
                "http://127.0.0.1:" + cluster.uiPorts().get(0), "--cluster: 'http://127.0.0.1:"
                        + cluster.uiPorts().get(0) + "' is not a Spark standalone master URL, spark://HOST:PORT");
        expected.forEach((master, message) -> {
            Path out = tmp.resolve("unreachable");
            ChildJvm.Result r = inProcess(List.of("experiment", "--config", config.toString(), "--out",
                    out.toString(), "--cluster", master, "--secret-file", cluster.secretFile().toString()));
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).doesNotContain("\n").contains(message);
            assertThat(out).doesNotExist();
        });
    }

    /**
     * The master creates the cluster's secret for its owner alone; without it, a driver or a worker is refused in
     * one line naming its secret file, before any wait for workers, and Spark's own client gets nowhere.
     */
    @Test
    @Order(2)
    void onlyWhoHoldsTheMastersSecretGetsIn() throws Exception {
        Path secret = cluster.secretFile();
        assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(cluster.masterLog()).contains("created the cluster secret " + secret);

        Path other = tmp.resolve("other.secret");
        Files.writeString(other, "0123456789abcdef".repeat(4));
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
        Path out = tmp.resolve("other-secret");
        ChildJvm.Result driver = inProcess(List.of("experiment", "--config", config.toString(), "--out",
                out.toString(), "--cluster", cluster.url(), "--secret-file", other.toString()));
        assertThat(driver.exit()).as(driver.err()).isEqualTo(2);
        assertThat(driver.err().strip()).doesNotContain("\n").startsWith("proxynas experiment: --cluster: the Spark"
                + " master at 127.0.0.1:" + cluster.port() + " refused the cluster secret in " + other + ";");
        assertThat(out).doesNotExist();

        Path none = tmp.resolve("no.secret");
        ChildJvm.Result missing = inProcess(List.of("experiment", "--config", config.toString(), "--out",
                out.toString(), "--cluster", cluster.url(), "--secret-file", none.toString()));
        assertThat(missing.exit()).as(missing.err()).isEqualTo(2);
        assertThat(missing.err().strip()).doesNotContain("\n").startsWith("proxynas experiment: no cluster secret at "
                + none + ";").contains("--secret-file");

        ChildJvm.Result worker = inProcess(List.of("spark-worker", cluster.url(), "--secret-file", other.toString()));
        assertThat(worker.exit()).as(worker.err()).isEqualTo(2);
        assertThat(worker.err().strip()).doesNotContain("\n").startsWith("proxynas spark-worker: the Spark master at"
                + " 127.0.0.1:" + cluster.port() + " refused the cluster secret in " + other + ";");

        assertThat(masterEndpointRefusal(null)).as("Spark's client without a secret").isNotNull();
        assertThat(masterEndpointRefusal(Files.readString(secret).strip())).as("with the secret").isNull();
    }

    /** The web UIs listen on --host (127.0.0.1 here) only: another address of this machine does not answer. */
    @Test
    @Order(2)
    void theWebUisListenOnTheHostAddressOnly() throws Exception {
        InetAddress other = nonLoopbackAddress();
        assumeTrue(other != null, "this machine has no address but the loopback");
        for (int port : cluster.uiPorts()) {
            HttpURLConnection ui = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL()
                    .openConnection();
            assertThat(ui.getResponseCode()).as("the UI on port " + port).isEqualTo(200);
            ui.disconnect();
            assertThatThrownBy(() -> new Socket(other, port).close()).as(other + ":" + port)
                    .isInstanceOf(ConnectException.class);
        }
    }

    /** The secret is on no command line (every local user can read those) and in no log. */
    @Test
    @Order(2)
    void theSecretIsOnNoCommandLineAndInNoLog() throws IOException {
        String secret = Files.readString(cluster.secretFile()).strip();
        List<ProcessHandle> processes = cluster.processes();
        assertThat(processes).as("the commands and their daemons' JVMs").hasSizeGreaterThanOrEqualTo(6);
        for (ProcessHandle p : processes) {
            assertThat(p.info().commandLine().orElseThrow()).doesNotContain(secret);
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().matches("stderr|stdout|.*\\.log")).toList();
            assertThat(logs).as("the daemons', executors' and drivers' output").hasSizeGreaterThan(10);
            for (Path log : logs) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(secret);
            }
        }
    }

    /**
     * After the kill of {@link #aSearchWhoseWorkerIsKilledContinuesFromItsCheckpointOnAnother}, one one-core worker
     * is left: one task slot (Spark's default parallelism would say 2).
     */
    @Test
    @Order(5)
    void workersThatCannotSeeTheOutputDirectoryAreOneLineAndLeaveNothing() throws Exception {
        // /proc/self/cwd is each process's own working directory: the driver's out is not the executors'
        String out = "/proc/self/cwd/out";
        ChildJvm.Result r = driver(List.of("--out", out), "blind");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("has 1 task slot (connected in");
        String last = r.err().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).contains("--cluster: the worker").contains("does not see " + out)
                .contains("shared filesystem");
        assertThat(tmp.resolve("blind-driver").resolve("out")).as("the driver's out").doesNotExist();
    }

    @Test
    @Order(4)
    void anExperimentInLocalJobsHasTheResultsOfTheLocalRun() throws Exception {
        Path out = tmp.resolve("jobs");
        Process driver = startInJobs(config, out, "jobs");
        ChildJvm.Result r = await(driver, "jobs");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("up to 2 stages at once, each in a worker JVM with 1 PyTorch thread")
                .contains(" done on job 1 ").contains(" done on job 2 ");
        assertThat(comparable(out)).isEqualTo(local);
        try (Stream<Path> files = Files.list(out.resolve("stages").resolve("search"))) {
            List<Path> logs = files.filter(f -> f.toString().endsWith(".log")).toList();
            assertThat(logs).as("a log beside each search's directory").hasSize(2);
            assertThat(Files.readString(logs.get(0))).as("the stage's own progress").contains("[search");
        }
    }

    @Test
    @Order(4)
    void aStageThatFailsInALocalJobFailsTheExperimentWithItsOwnMessage() throws Exception {
        Path failing = tmp.resolve("failing-jobs.yaml");
        Files.writeString(failing, TINY.replace("scoring: {epochs: 1, batchSize: 50, shards: 2}",
                "scoring: {scores: '" + localScores() + "'}").replace("[proxy, random]", "[kcenter]"));
        Path out = tmp.resolve("failing-jobs");
        Process driver = startInJobs(failing, out, "failing-jobs");
        ChildJvm.Result r = await(driver, "failing-jobs");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("proxynas experiment: kcenter-r0.25-s0: method kcenter needs embeddings");
        assertThat(out.resolve("results.json")).doesNotExist();
    }

    @Test
    @Order(4)
    void workersStopWhenTheirDriverIsKilled() throws Exception {
        Path out = tmp.resolve("jobs-killed");
        Process driver = startInJobs(config, out, "jobs-killed");
        awaitFile(out.resolve("stages").resolve("search"), "checkpoint.bin", driver);
        List<ProcessHandle> workers = driver.toHandle().descendants().toList();
        assertThat(workers).as("the driver's worker JVMs").isNotEmpty();
        driver.destroyForcibly().waitFor();
        for (ProcessHandle worker : workers) {
            worker.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(workers).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void jobsAreAtLeastOneAndNotWithAClusterAndASecretOnlyWithOne() {
        Map<List<String>, String> expected = Map.of(
                List.of("--jobs", "0"), "--jobs must be >= 1",
                List.of("--jobs", "2", "--cluster", "spark://h:1"), "--jobs and --cluster exclude each other",
                List.of("--secret-file", "spark.secret"), "--secret-file applies to --cluster only");
        expected.forEach((flags, message) -> {
            Path out = tmp.resolve("bad-jobs");
            List<String> args = new ArrayList<>(List.of("experiment", "--config", config.toString(), "--out",
                    out.toString()));
            args.addAll(flags);
            ChildJvm.Result r = inProcess(args);
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).doesNotContain("\n").contains(message);
            assertThat(out).doesNotExist();
        });
    }

    /** {@code proxynas ARGS} in this JVM. */
    private static ChildJvm.Result inProcess(List<String> args) {
        CommandLine cl = ProxyNas.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args.toArray(String[]::new));
        return new ChildJvm.Result(exit, out.toString(), err.toString());
    }

    /**
     * Why Spark's own RPC client, holding {@code secret} (null: none, as anyone who reaches the port), cannot
     * reach the master's endpoint, as a driver or a worker registering with it would; null when it can.
     */
    private static Exception masterEndpointRefusal(String secret) {
        SparkConf conf = new SparkConf(false);
        if (secret != null) {
            conf.set("spark.authenticate", "true").set("spark.authenticate.secret", secret)
                    .set("spark.network.crypto.enabled", "true");
        }
        RpcEnv rpc = RpcEnv.create("outsider", "127.0.0.1", 0, conf,
                new org.apache.spark.SecurityManager(conf, Option.empty(), package$.MODULE$.AUTH_SECRET_FILE()), true);
        try {
            rpc.setupEndpointRef(new RpcAddress("127.0.0.1", cluster.port()), "Master");
            return null;
        } catch (Exception refused) {
            return refused;
        } finally {
            rpc.shutdown();
        }
    }

    /** An address of this machine other than the loopback, or null. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        return null;
    }

    /** {@code proxynas experiment --config CONFIG --out OUT --jobs 2} as the launcher starts it. */
    private static Process startInJobs(Path configFile, Path out, String name) throws IOException {
        return ChildJvm.start("1g", Map.of("PROXYNAS_DATA", System.getenv("PROXYNAS_DATA")), ProxyNas.class.getName(),
                List.of("experiment", "--config", configFile.toString(), "--out", out.toString(), "--jobs", "2"),
                Files.createDirectories(tmp.resolve(name + "-driver")));
    }

    /** Waits until a file named {@code name} appears under {@code dir}, while {@code driver} runs. */
    private static void awaitFile(Path dir, String name, Process driver) throws Exception {
        for (int i = 0; i < 2400; i++) {
            if (!driver.isAlive()) {
                throw new AssertionError("the experiment ended before its driver could be killed");
            }
            if (!filesNamed(dir, name).isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + name + " under " + dir + " within two minutes");
    }

    /** The files named {@code name} under {@code dir} now, while a stage writes there (temporary files come and go). */
    private static List<Path> filesNamed(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals(name)).toList();
        } catch (UncheckedIOException | NoSuchFileException e) {
            return List.of();
        }
    }

    private static ChildJvm.Result driver(List<String> args, String name) throws Exception {
        return await(startDriver(args, name), name);
    }

    private static ChildJvm.Result await(Process p, String name) throws Exception {
        p.getOutputStream().close();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the driver finished").isTrue();
        Path dir = tmp.resolve(name + "-driver");
        return new ChildJvm.Result(p.exitValue(), Files.readString(dir.resolve("stdout")),
                Files.readString(dir.resolve("stderr")));
    }

    /** {@code proxynas experiment --config TINY ARGS} on the cluster, in a JVM of its own as the launcher starts it. */
    private static Process startDriver(List<String> args, String name) throws IOException {
        List<String> all = new ArrayList<>(List.of("experiment", "--config", config.toString()));
        all.addAll(args);
        all.addAll(cluster.driverOptions());
        return startJvm(all, name);
    }

    /** {@code proxynas COMMAND} in a JVM of its own with Spark's JVM options; its output under NAME-driver. */
    private static Process startJvm(List<String> command, String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name + "-driver"));
        return ChildJvm.start(List.of(LocalSparkCluster.SPARK_JVM_OPTIONS), "1g",
                Map.of("PROXYNAS_DATA", System.getenv("PROXYNAS_DATA"), "SPARK_LOCAL_IP", "127.0.0.1"),
                ProxyNas.class.getName(), command, dir);
    }

    /**
     * Waits for the first search checkpoint under {@code out}; returns the worker whose executor runs it (in an
     * application not {@code before}: earlier runs searched under the same labels).
     */
    private static int awaitSearchCheckpoint(Path out, Process driver, Set<Path> before) throws Exception {
        for (int i = 0; i < 2400; i++) {
            if (!driver.isAlive()) {
                throw new AssertionError("the experiment ended before a worker could be killed");
            }
            for (Path checkpoint : filesNamed(out.resolve("stages").resolve("search"), "checkpoint.bin")) {
                String label = checkpoint.getParent().getFileName().toString().replaceAll("-[0-9a-f]{10}$", "");
                for (int w = 0; w < 2; w++) {
                    if (cluster.executorLog(w, before).contains("] " + label + " on ")) {
                        return w;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no search checkpoint within two minutes");
    }

    /** The scores.csv of the in-process experiment. */
    private static Path localScores() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("local").resolve("stages").resolve("scoring"))) {
            return files.filter(f -> f.getFileName().toString().equals("scores.csv")
                    && f.getParent().getFileName().toString().startsWith("scores-")).findFirst().orElseThrow();
        }
    }

    /** results.json without what differs between two runs of one experiment: times, provenance, paths. */
    private static JsonNode comparable(Path out) throws IOException {
        return comparable(out, "results.json");
    }

    private static JsonNode comparable(Path out, String file) throws IOException {
        JsonNode results = Json.MAPPER.readTree(out.resolve(file).toFile());
        strip(results);
        return results;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(List.of("provenance", "commands", "stageSeconds", "out", "costRatio"));
            List<String> timings = new ArrayList<>();
            o.fieldNames().forEachRemaining(f -> {
                if (f.toLowerCase().contains("seconds") || f.equals("imagesPerSecond")) {
                    timings.add(f);
                }
            });
            o.remove(timings);
        }
        node.forEach(ClusterExperimentTest::strip);
    }
}
