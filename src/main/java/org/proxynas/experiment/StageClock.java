package org.proxynas.experiment;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
    private String runningStage;
    private double runningUnits;

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

    void start(String stage, String what, double units) {
        runningStage = stage;
        runningUnits = units;
        int n = doneJobs.getOrDefault(stage, 0) + 1;
        log.printf("proxynas %s: [%s %d/%d] %s · elapsed %s · %s%n", command, stage, n,
                plannedJobs.getOrDefault(stage, n), what, Format.duration(elapsed()), eta());
        log.flush();
    }

    void finish(String stage, double jobSeconds) {
        record(stage, jobSeconds, runningUnits);
        measuredUnits.merge(stage, runningUnits, Double::sum);
        measuredSeconds.merge(stage, jobSeconds, Double::sum);
        runningStage = null;
    }

    /** A job whose result was reused: its original time still counts towards the stage's cost. */
    /** A warning on its own line, between the progress lines, so a user can stop a run that is off course. */
    void warn(String message) {
        log.printf("proxynas %s: warning: %s%n", command, message);
        log.flush();
    }

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
        return "ETA " + Format.duration(total);
    }
}
