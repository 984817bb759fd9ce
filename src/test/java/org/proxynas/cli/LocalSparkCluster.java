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
 * A Spark standalone cluster on this machine, as README's section Cluster starts one: {@code proxynas spark-master}
 * and {@code spark-worker}, each a JVM of its own on the tests' class path (with the daemon's JVM it starts), with a
 * SPARK_HOME whose jars are that class path's, listening on 127.0.0.1 and sharing the secret the master creates.
 * Closing it kills every process it started, executors included.
 */
final class LocalSparkCluster implements AutoCloseable {
    /** The JVM options Spark needs on Java 17, as the launcher passes them. */
    static final String SPARK_JVM_OPTIONS = "@" + Path.of("etc", "spark-jvm.options").toAbsolutePath();

    private final Path dir;
    private final int port;
    private final int masterUiPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Integer> workerUiPorts = new ArrayList<>();

    private LocalSparkCluster(Path dir, int port, int masterUiPort, Process master) {
        this.dir = dir;
        this.port = port;
        this.masterUiPort = masterUiPort;
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
        int uiPort = freePort();
        Process master = daemon(dir, "master", List.of("spark-master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(uiPort), "--secret-file",
                secretFile(dir).toString()));
        LocalSparkCluster cluster = new LocalSparkCluster(dir, port, uiPort, master);
        cluster.awaitMaster();
        for (int i = 0; i < workers; i++) {
            cluster.addWorker();
        }
        return cluster;
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** The secret the master created on its start, which the workers and drivers share. */
    Path secretFile() {
        return secretFile(dir);
    }

    private static Path secretFile(Path dir) {
        return dir.resolve("secret").resolve("spark.secret");
    }

    /** What a driver adds to its command to run on this cluster. */
    List<String> driverOptions() {
        return List.of("--cluster", url(), "--secret-file", secretFile().toString());
    }

    /** The web UIs' ports: the master's, then each worker's. */
    List<Integer> uiPorts() {
        List<Integer> ports = new ArrayList<>(List.of(masterUiPort));
        ports.addAll(workerUiPorts);
        return ports;
    }

    /** What the master printed on stderr. */
    String masterLog() throws IOException {
        return Files.readString(dir.resolve("master").resolve("stderr"));
    }

    /** The processes alive of every daemon started here: the commands, their daemons' JVMs, executors. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : daemons()) {
            all.add(p.toHandle());
            p.descendants().forEach(all::add);
        }
        return all.stream().filter(ProcessHandle::isAlive).toList();
    }

    private List<Process> daemons() {
        List<Process> daemons = new ArrayList<>(workers);
        daemons.add(master);
        return daemons;
    }

    /** Starts one more worker; its executors log under {@link #workDir(int)}. */
    private void addWorker() throws IOException {
        int index = workers.size();
        Path work = Files.createDirectories(workDir(index));
        int uiPort = freePort();
        Process worker = daemon(dir, "worker-" + index, List.of("spark-worker", url(), "--host", "127.0.0.1",
                "--cores", "1", "--memory", "3g", "--webui-port", Integer.toString(uiPort), "--work-dir",
                work.toString(), "--secret-file", secretFile().toString()));
        workers.add(worker);
        workerUiPorts.add(uiPort);
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

    /** {@code proxynas ARGS} as the launcher runs {@code spark-master} and {@code spark-worker}. */
    private static Process daemon(Path dir, String name, List<String> args) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(SPARK_JVM_OPTIONS, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), ProxyNas.class.getName()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectOutput(home.resolve("stdout").toFile())
                .redirectError(home.resolve("stderr").toFile());
        // no SPARK_LOCAL_IP: where the web UIs listen is the commands' doing
        b.environment().putAll(Map.of("SPARK_HOME", dir.resolve("spark-home").toString(),
                "SPARK_SCALA_VERSION", "2.13"));
        b.environment().remove("SPARK_LOCAL_IP");
        return b.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
