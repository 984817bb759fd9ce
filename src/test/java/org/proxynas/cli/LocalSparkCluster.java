package org.proxynas.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine, as README's section Cluster starts one: a master and workers, each
 * a JVM of its own on the tests' class path, with a SPARK_HOME whose jars are that class path's. Closing it kills
 * every process it started, executors included.
 */
final class LocalSparkCluster implements AutoCloseable {
    /** The JVM options Spark needs on Java 17, as the launcher passes them. */
    static final String SPARK_JVM_OPTIONS = "@" + Path.of("etc", "spark-jvm.options").toAbsolutePath();

    private final Path dir;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private LocalSparkCluster(Path dir, int port, Process master) {
        this.dir = dir;
        this.port = port;
        this.master = master;
    }

    /** A master and {@code workers} workers of one core each, their files under {@code dir}. */
    static LocalSparkCluster start(Path dir, int workers) throws IOException, InterruptedException {
        Path jars = Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        int port = freePort();
        Process master = daemon(dir, "master", "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0"));
        LocalSparkCluster cluster = new LocalSparkCluster(dir, port, master);
        cluster.awaitMaster();
        for (int i = 0; i < workers; i++) {
            cluster.addWorker();
        }
        return cluster;
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Starts one more worker; its executors log under {@link #workDir(int)}. */
    private void addWorker() throws IOException {
        int index = workers.size();
        Path work = Files.createDirectories(workDir(index));
        Process worker = daemon(dir, "worker-" + index, "org.apache.spark.deploy.worker.Worker",
                List.of(url(), "--host", "127.0.0.1", "--cores", "1", "--memory", "3g", "--webui-port", "0",
                        "--work-dir", work.toString()));
        workers.add(worker);
    }

    Path workDir(int worker) {
        return dir.resolve("work-" + worker);
    }

    /** The applications' directories of every worker so far: what {@link #executorLog} can leave out. */
    Set<Path> applications() throws IOException {
        Set<Path> apps = new HashSet<>();
        for (int i = 0; i < workers.size(); i++) {
            try (var dirs = Files.list(workDir(i))) {
                dirs.forEach(apps::add);
            }
        }
        return apps;
    }

    /** What the executors of worker {@code index} wrote to stderr, except in the applications {@code before}. */
    String executorLog(int index, Set<Path> before) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(workDir(index))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                if (!before.contains(workDir(index).resolve(workDir(index).relativize(f).getName(0)))) {
                    all.append(Files.readString(f));
                }
            }
        }
        return all.toString();
    }

    /** Kills worker {@code index} and its executors with SIGKILL, as a lost machine. */
    void kill(int index) throws InterruptedException {
        Process worker = workers.get(index);
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
        worker.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            kill(i);
        }
        master.descendants().forEach(ProcessHandle::destroyForcibly);
        master.destroyForcibly();
        master.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitMaster() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!master.isAlive()) {
                    throw new AssertionError("the Spark master exited: see " + dir.resolve("master"));
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the Spark master did not listen within a minute");
    }

    private static Process daemon(Path dir, String name, String mainClass, List<String> args) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(SPARK_JVM_OPTIONS, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectOutput(home.resolve("stdout").toFile())
                .redirectError(home.resolve("stderr").toFile());
        b.environment().putAll(Map.of("SPARK_HOME", dir.resolve("spark-home").toString(),
                "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1"));
        return b.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
