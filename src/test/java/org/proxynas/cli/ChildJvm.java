package org.proxynas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code proxynas} (or another main class) in a JVM of its own, as the launcher starts it: for what one JVM cannot
 * show of itself, a heap limit or a second process.
 */
final class ChildJvm {
    private ChildJvm() {}

    record Result(int exit, String out, String err) {}

    /** Runs {@code mainClass} with the tests' class path and JVM settings, the heap capped at {@code maxHeap}. */
    static Result run(String maxHeap, Map<String, String> env, String mainClass, List<String> args, Path workDir)
            throws IOException, InterruptedException {
        Process p = start(maxHeap, env, mainClass, args, workDir);
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not end within 5 minutes: " + args);
        }
        return new Result(p.exitValue(), Files.readString(workDir.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(workDir.resolve("stderr"), StandardCharsets.UTF_8));
    }

    /** Starts it; stdout and stderr go to files in {@code workDir}. */
    static Process start(String maxHeap, Map<String, String> env, String mainClass, List<String> args, Path workDir)
            throws IOException {
        return start(List.of(), maxHeap, env, mainClass, args, workDir);
    }

    /**
     * The class path the launcher runs with (our classes, the tests' and the runtime dependencies, without the
     * Spark jars a cluster run adds), as Maven wrote it before the tests: what a heap limit applies to.
     */
    static String launcherClassPath() throws IOException {
        Path target = Path.of("target");
        return String.join(java.io.File.pathSeparator, target.resolve("test-classes").toAbsolutePath().toString(),
                target.resolve("classes").toAbsolutePath().toString(),
                Files.readString(target.resolve("runtime.classpath")).strip());
    }

    /**
     * Starts it with {@code jvmOptions} first (Spark's {@code @argfile}, for a cluster run) and the tests' whole
     * class path, Spark included, or with none and the launcher's class path.
     */
    static Process start(List<String> jvmOptions, String maxHeap, Map<String, String> env, String mainClass,
            List<String> args, Path workDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Xmx" + maxHeap,
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dproxynas.quiet=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", jvmOptions.isEmpty() ? launcherClassPath() : System.getProperty("java.class.path"),
                mainClass));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout").toFile())
                .redirectError(workDir.resolve("stderr").toFile());
        b.environment().put("OPT_OUT_TRACKING", "true");
        b.environment().putAll(env);
        return b.start();
    }
}
