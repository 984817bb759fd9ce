package org.proxynas.experiment;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A study's overall progress line ("[search 3/9] ... elapsed, ETA") printed above each job's own progress
 * bar, and the wall time spent per stage. The ETA prices the remaining work of each stage at the seconds per
 * unit measured on its finished jobs (a search's unit is one training example, so a full-data search is
 * priced ten times a 10% proxy search).
 */
final class StageClock {
    private final PrintStream log;
    private final String command;
    private final long startNanos = System.nanoTime();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final Map<String, Double> plannedUnits = new HashMap<>();
    private final Map<String, Integer> plannedJobs = new HashMap<>();
    private final Map<String, Integer> doneJobs = new HashMap<>();
    private final Map<String, Double> doneUnits = new HashMap<>();
    private final Map<String, Double> measuredUnits = new HashMap<>();
    private final Map<String, Double> measuredSeconds = new HashMap<>();
    private final Map<String, Integer> startedJobs = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private int slots = 1;

    /**
     * A clock printing as {@code proxynas <command>}; {@code stages} are the kinds of stage it times, in the
     * seconds {@link #secondsByStage} reports (each 0 s until one of its jobs ran).
     */
    StageClock(PrintStream log, String command, String... stages) {
        this.log = log;
        this.command = command;
        for (String s : stages) {
            seconds.put(s, 0.0);
        }
    }

    /** The work ahead: number of jobs and total units per stage. */
    void plan(String stage, int jobs, double units) {
        seconds.putIfAbsent(stage, 0.0);
        plannedJobs.merge(stage, jobs, Integer::sum);
        plannedUnits.merge(stage, units, Double::sum);
    }

    /**
     * Jobs run {@code slots} at once from now on: the ETA divides the work left among them, which assumes
     * enough stages are ready to fill them (a long stage that others wait for can take longer).
     */
    void shareWorkAmong(int slots) {
        this.slots = Math.max(1, slots);
    }

    /** A job of {@code stage} starts; several may run at once on a cluster. */
    void start(String stage, String what, double units) {
        int n = doneJobs.getOrDefault(stage, 0) + startedJobs.merge(stage, 1, Integer::sum);
        log.printf("proxynas %s: [%s %d/%d] %s · elapsed %s · %s%n", command, stage, n,
                plannedJobs.getOrDefault(stage, n), what, Format.duration(elapsed()), eta());
        log.flush();
    }

    /** A started job of {@code units} finished after {@code jobSeconds}. */
    void finish(String stage, double jobSeconds, double units) {
        startedJobs.merge(stage, -1, Integer::sum);
        record(stage, jobSeconds, units);
        measuredUnits.merge(stage, units, Double::sum);
        measuredSeconds.merge(stage, jobSeconds, Double::sum);
    }

    /** A line about a job of {@code stage} that is not a start: where it ran, that it continues. */
    void note(String stage, String message) {
        log.printf("proxynas %s: [%s] %s · elapsed %s%n", command, stage, message, Format.duration(elapsed()));
        log.flush();
    }

    /**
     * A warning on its own line, between the progress lines, so a user can stop a run that is off course;
     * each is printed once, also when two studies over one directory find it.
     */
    void warn(String message) {
        if (warned.add(message)) {
            log.printf("proxynas %s: warning: %s%n", command, message);
            log.flush();
        }
    }

    /** A job whose result was reused: its original time still counts towards the stage's cost. */
    void cached(String stage, String what, double jobSeconds, double units) {
        record(stage, jobSeconds, units);
        log.printf("proxynas %s: [%s] %s · done earlier, reused%n", command, stage, what);
        log.flush();
    }

    private void record(String stage, double jobSeconds, double units) {
        seconds.merge(stage, jobSeconds, Double::sum);
        doneJobs.merge(stage, 1, Integer::sum);
        doneUnits.merge(stage, units, Double::sum);
    }

    Map<String, Double> secondsByStage() {
        return Map.copyOf(seconds);
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String eta() {
        double total = 0;
        for (String s : seconds.keySet()) {
            double left = plannedUnits.getOrDefault(s, 0.0) - doneUnits.getOrDefault(s, 0.0);
            if (left <= 0) {
                continue;
            }
            Double units = measuredUnits.get(s);
            if (units == null || units == 0) {
                return "ETA after the first " + s + " job";
            }
            total += left * measuredSeconds.get(s) / units;
        }
        if (slots == 1) {
            return "ETA " + Format.duration(total);
        }
        return "ETA " + Format.duration(total / slots) + " (" + Format.duration(total) + " of work on " + slots
                + " slots)";
    }
}
