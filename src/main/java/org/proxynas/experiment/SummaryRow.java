package org.proxynas.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the results table: a method × ratio × algorithm averaged over seeds. Search time is also
 * given relative to the full-data search of the same algorithm, the number the paper's claim is about.
 *
 * @param searchSecondsMean the search's time, an adaptive search's re-selections included
 * @param reselectionSecondsMean the part of it spent re-selecting (0 for static proxies)
 * @param scoringSecondsMean the scoring stage's time a static proxy's method pays on top (0 for methods that read no
 *     scores), so that adaptive and static proxies compare at their full costs
 * @param classBalanceMean the runs' {@link RunResult#classBalance} averaged, NaN where none has one ({@code full})
 */
public record SummaryRow(
        String method,
        double ratio,
        String algorithm,
        int seeds,
        int proxySize,
        double searchSecondsMean,
        double reselectionSecondsMean,
        double relativeSearchTime,
        double selectionSecondsMean,
        double scoringSecondsMean,
        double paramsMean,
        double testAccuracyMean,
        double testAccuracyStd,
        double classBalanceMean,
        int rank,
        List<String> genotypes) {

    /** Groups runs, averages over seeds, ranks by mean test accuracy (1 = best; ties share a rank). */
    public static List<SummaryRow> summarize(List<RunResult> runs) {
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : runs) {
            groups.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        }
        Map<String, Double> fullSearchSeconds = new LinkedHashMap<>();
        for (List<RunResult> g : groups.values()) {
            RunResult first = g.get(0);
            if (first.method().equals(ExperimentConfig.FULL)) {
                fullSearchSeconds.put(first.algorithm(), mean(g.stream().mapToDouble(RunResult::searchSeconds).toArray()));
            }
        }
        List<SummaryRow> rows = new ArrayList<>();
        for (List<RunResult> g : groups.values()) {
            RunResult first = g.get(0);
            double[] acc = g.stream().mapToDouble(RunResult::testAccuracy).toArray();
            double search = mean(g.stream().mapToDouble(RunResult::searchSeconds).toArray());
            Double full = fullSearchSeconds.get(first.algorithm());
            rows.add(new SummaryRow(first.method(), first.ratio(), first.algorithm(), g.size(), first.proxySize(),
                    search, mean(g.stream().mapToDouble(RunResult::reselectionSeconds).toArray()),
                    full == null || full == 0 ? Double.NaN : search / full,
                    mean(g.stream().mapToDouble(RunResult::selectionSeconds).toArray()),
                    mean(g.stream().mapToDouble(RunResult::scoringSeconds).toArray()),
                    mean(g.stream().mapToDouble(RunResult::params).toArray()),
                    mean(acc), std(acc),
                    mean(g.stream().filter(r -> r.classBalance() != null).mapToDouble(RunResult::classBalance)
                            .toArray()), 0,
                    g.stream().map(RunResult::genotype).toList()));
        }
        List<SummaryRow> ranked = new ArrayList<>();
        for (SummaryRow row : rows) {
            int rank = 1;
            for (SummaryRow other : rows) {
                if (other.testAccuracyMean() > row.testAccuracyMean()) {
                    rank++;
                }
            }
            ranked.add(row.withRank(rank));
        }
        return ranked;
    }

    private SummaryRow withRank(int r) {
        return new SummaryRow(method, ratio, algorithm, seeds, proxySize, searchSecondsMean, reselectionSecondsMean,
                relativeSearchTime, selectionSecondsMean, scoringSecondsMean, paramsMean, testAccuracyMean,
                testAccuracyStd, classBalanceMean, r, genotypes);
    }

    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return xs.length == 0 ? Double.NaN : s / xs.length;
    }

    /** Sample standard deviation (n − 1); 0 for a single seed. */
    static double std(double[] xs) {
        if (xs.length < 2) {
            return 0;
        }
        double m = mean(xs);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (xs.length - 1));
    }
}
