package org.proxynas.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.proxynas.common.Json;

/**
 * The share of a piece of work's wall time spent inside libtorch's operators: the work runs under PyTorch's
 * profiler (through DJL), and the union of the recorded operator intervals, over all threads, is divided by
 * the wall time between the profiler's start and stop. What is left is ours: JNI calls, Java objects, the
 * data pipeline, waiting. The profiler adds a little overhead per operator, so the share is a lower bound.
 * Enabled in the benchmarks with {@code -Dbench.kernelShare=true} (see bench/compare.sh); with
 * {@code -Dbench.profileOut=PREFIX} each profile is also kept as {@code PREFIX-1.json}, {@code PREFIX-2.json}, ...
 * (Chrome trace format, for bench/op_profile.py), with each operator's input shapes when
 * {@code -Dbench.recordShapes=true}.
 */
final class KernelShare {
    private static int kept;

    private KernelShare() {}

    interface Work {
        void run() throws IOException;
    }

    static boolean enabled() {
        return Boolean.getBoolean("bench.kernelShare");
    }

    static double of(Work work) throws IOException {
        Path trace = Files.createTempFile("proxynas-profile", ".json");
        try {
            JniUtils.startProfile(false, Boolean.getBoolean("bench.recordShapes"), false);
            long t0 = System.nanoTime();
            work.run();
            double wallUs = (System.nanoTime() - t0) / 1e3;
            JniUtils.stopProfile(trace.toString());
            String keep = System.getProperty("bench.profileOut");
            if (keep != null) {
                Files.copy(trace, Path.of(keep + "-" + ++kept + ".json"));
            }
            return busyMicros(Json.MAPPER.readTree(trace.toFile())) / wallUs;
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    /** The length of the union of the events' [ts, ts + dur] intervals. */
    static double busyMicros(JsonNode events) {
        List<double[]> intervals = new ArrayList<>();
        for (JsonNode e : events) {
            double ts = e.path("ts").asDouble();
            intervals.add(new double[] {ts, ts + e.path("dur").asDouble()});
        }
        if (intervals.isEmpty()) {
            return 0;
        }
        intervals.sort(Comparator.comparingDouble(i -> i[0]));
        double busy = 0;
        double start = intervals.get(0)[0];
        double end = intervals.get(0)[1];
        for (double[] i : intervals) {
            if (i[0] > end) {
                busy += end - start;
                start = i[0];
                end = i[1];
            } else {
                end = Math.max(end, i[1]);
            }
        }
        return busy + end - start;
    }
}
