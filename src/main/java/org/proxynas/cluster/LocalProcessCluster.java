package org.proxynas.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.proxynas.common.ErrorMessages;
import org.proxynas.common.Json;
import org.proxynas.experiment.StageCluster;
import org.proxynas.experiment.StageTask;

/**
 * A study's stages side by side on this machine ({@code --jobs N}): N worker JVMs, each running one stage at a
 * time, the cores shared out among them. Processes, not threads, because the engine's random generator is the
 * process's and every stage reseeds it each epoch (stages one after another in one JVM are fine: that is the
 * local run); and N stages on one PyTorch thread each use a small machine better than one stage on N threads,
 * since the small operators of these networks scale poorly across threads (bench/results/jobs.md).
 *
 * <p>A worker reads tasks as JSON lines on its standard input and answers each with a line of its own; the
 * stage's console output goes to its {@link StageTask#log}, its error (if any) to the driver through
 * {@link StageTask}. Closing the cluster stops the workers; a worker whose driver dies stops too, so a
 * rerun never shares a stage directory with a stage left over from a killed run.
 */
public final class LocalProcessCluster implements StageCluster {
    private static final String THREADS = "ai.djl.pytorch.num_threads";
    /** Starts a worker's answer line; anything else a worker prints there (native libraries do) is passed on. */
    private static final String ANSWER = "proxynas-job ";
    private static final String DONE = "done";
    /** A task is one line of a worker's input. */
    private static final ObjectWriter ONE_LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final List<String> java;
    private final int jobs;
    private final ExecutorService slots;
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Worker> slotWorker = new ThreadLocal<>();

    private LocalProcessCluster(int jobs, int threads) {
        this.jobs = jobs;
        this.java = javaCommand(threads);
        AtomicInteger slot = new AtomicInteger();
        this.slots = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "job " + slot.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Up to {@code jobs} stages at once, each with the PyTorch threads {@code -Dai.djl.pytorch.num_threads} gives,
     * else an equal share of this machine's cores (at least one).
     */
    public static LocalProcessCluster start(int jobs, PrintStream log) {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Integer.getInteger(THREADS, Math.max(1, cores / jobs));
        log.printf(Locale.ROOT, "proxynas: up to %d stages at once, each in a worker JVM with %d PyTorch thread%s"
                + " (%d cores here); each stage's output goes to its directory's name + .log%n", jobs,
                threads, threads == 1 ? "" : "s", cores);
        return new LocalProcessCluster(jobs, threads);
    }

    @Override
    public CompletableFuture<TaskRun> submit(StageTask task) {
        return CompletableFuture.supplyAsync(() -> {
            Worker worker = slotWorker.get();
            if (worker == null) {
                worker = new Worker(Thread.currentThread().getName());
                slotWorker.set(worker);
                workers.add(worker);
            }
            return worker.run(task);
        }, slots);
    }

    @Override
    public int slots() {
        return jobs;
    }

    /** Stops the workers, and with them any stage still running: a failed study leaves none behind. */
    @Override
    public void close() {
        workers.forEach(Worker::stop);
        slots.shutdownNow();
    }

    /** One worker JVM, started for a slot's first stage and again after a stage that ended it. */
    private final class Worker {
        private final String name;
        // read by close() on the driver's thread while the slot's thread may be starting it
        private volatile Process process;
        private BufferedWriter tasks;
        private BufferedReader answers;

        Worker(String name) {
            this.name = name;
        }

        TaskRun run(StageTask task) {
            long start = System.nanoTime();
            try {
                if (process == null || !process.isAlive()) {
                    List<String> command = new ArrayList<>(java);
                    command.add(name);
                    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    tasks = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), UTF_8));
                    answers = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
                }
                tasks.write(ONE_LINE.writeValueAsString(task));
                tasks.newLine();
                tasks.flush();
                String answer = awaitAnswer();
                if (answer == null) {
                    throw new IllegalStateException(task.label() + ": its worker JVM ended (exit "
                            + process.waitFor() + ") before the stage did; its output: " + task.log());
                }
                if (!answer.equals(DONE)) {
                    throw new IllegalStateException(task.label() + " failed: " + answer + "; its output: "
                            + task.log());
                }
                return new TaskRun(name, (System.nanoTime() - start) / 1e9);
            } catch (IOException e) {
                throw new CompletionException(new IOException(task.label() + ": " + name + ": " + e.getMessage(), e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }

        /** The worker's answer line, passing anything else it printed on; null when the worker ended. */
        private String awaitAnswer() throws IOException {
            for (String line; (line = answers.readLine()) != null; ) {
                if (line.startsWith(ANSWER)) {
                    return line.substring(ANSWER.length());
                }
                System.err.println(line);
            }
            return null;
        }

        void stop() {
            Process p = process;
            if (p == null) {
                return;
            }
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /**
     * {@code java}, this JVM's memory settings and system properties and class path with the worker's own thread
     * count, then this class: a worker is set up as the driver was (offline engine, heap limit, commit id).
     */
    private static List<String> javaCommand(int threads) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            boolean memoryOrProperty = option.startsWith("-D") || option.startsWith("-XX:")
                    || option.startsWith("-Xm") || option.startsWith("-Xs");
            if (memoryOrProperty && !option.startsWith("-Dai.djl.pytorch.num_")) {
                command.add(option);
            }
        }
        command.addAll(List.of("-D" + THREADS + "=" + threads, "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), LocalProcessCluster.class.getName()));
        return command;
    }

    /**
     * A worker JVM named {@code args[0]}: runs the tasks it reads, one JSON line each, and answers each when its
     * stage is done or has failed; ends at the end of its input, or after an {@link Error} (its heap may be spent).
     */
    public static void main(String[] args) throws IOException {
        // a stage outliving its driver could write into a directory that a rerun is preparing
        ProcessHandle.current().parent()
                .ifPresent(driver -> driver.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        PrintStream answers = System.out;
        BufferedReader tasks = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        for (String line; (line = tasks.readLine()) != null; ) {
            StageTask task = Json.MAPPER.readValue(line, StageTask.class);
            Throwable failure = runLogged(task, args[0]);
            answers.println(ANSWER + (failure == null ? DONE : failureLine(failure)));
            answers.flush();
            if (failure instanceof Error) {
                System.exit(1);
            }
        }
        System.exit(0);
    }

    /**
     * What a stage's failure says to the driver, in one line; running out of memory says how to give the workers
     * more, since every worker has the driver's heap limit and several of them share the machine's memory.
     */
    static String failureLine(Throwable failure) {
        if (failure instanceof OutOfMemoryError) {
            long limitMb = Runtime.getRuntime().maxMemory() >> 20;
            return "out of memory (" + (failure.getMessage() == null ? "Java heap space" : failure.getMessage())
                    + ") in its worker JVM, whose heap is limited to " + limitMb + " MB as the driver's is; give"
                    + " every JVM more (PROXYNAS_JAVA_OPTS=-Xmx" + Math.max(1, 2 * limitMb >> 10) + "g) or run"
                    + " fewer stages at once (--jobs)";
        }
        return ErrorMessages.oneLine(failure);
    }

    /** Runs the stage with this JVM's console going to its log; what it threw, or null. */
    private static Throwable runLogged(StageTask task, String worker) throws IOException {
        PrintStream console = System.out;
        PrintStream errors = System.err;
        try (PrintStream log = new PrintStream(new FileOutputStream(task.log().toFile()), true, UTF_8)) {
            System.setOut(log);
            System.setErr(log);
            try {
                task.run(worker);
                return null;
            } catch (IOException | RuntimeException | Error e) {
                // the stage recorded its error for the driver; the trace is for the stage's log
                e.printStackTrace();
                return e;
            } finally {
                System.setOut(console);
                System.setErr(errors);
            }
        }
    }
}
