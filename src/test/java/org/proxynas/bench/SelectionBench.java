package org.proxynas.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.proxynas.score.Embeddings;
import org.proxynas.score.ScoreTable;
import org.proxynas.select.SelectionInput;
import org.proxynas.select.Selector;
import org.proxynas.select.SelectorOptions;
import org.proxynas.select.Selectors;

/**
 * Selection time per method at 10% of synthetic score tables (entropies log-uniform over 1e-20..1, random
 * labels over 10 classes and forgetting counts; 64-d Gaussian-cluster embeddings for k-center). Prints one
 * Markdown table row per (n, method): best of {@code reps} runs after one warm-up, as wall time and as
 * the process's CPU time over all threads (on a shared, loaded machine the CPU time is the fairer number;
 * only k-center uses more than one thread).
 * Args: sizes (comma list, default 50000,1280000), kcenter max n (default 50000), reps (default 3).
 */
public final class SelectionBench {
    private SelectionBench() {}

    public static void main(String[] args) {
        String[] sizes = (args.length > 0 ? args[0] : "50000,1280000").split(",");
        int kcenterMax = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("| n | method | size | best wall (s) | best CPU (s) |");
        System.out.println("|---|---|---|---|---|");
        for (String s : sizes) {
            int n = Integer.parseInt(s.trim());
            SelectionInput in = input(n, n <= kcenterMax ? 64 : 0, 7);
            int size = n / 10;
            for (String method : Selectors.METHODS) {
                Selector selector = Selectors.create(method, SelectorOptions.defaults());
                if (selector.missingInput(in).isPresent()) {
                    System.out.printf(Locale.ROOT, "| %,d | %s | %,d | skipped (%s) | |%n", n, method, size,
                            selector.missingInput(in).get());
                    continue;
                }
                selector.select(in, size, 0);
                double bestWall = Double.POSITIVE_INFINITY;
                double bestCpu = Double.POSITIVE_INFINITY;
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    long c0 = os.getProcessCpuTime();
                    selector.select(in, size, r + 1);
                    bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - c0) / 1e9);
                    bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 1e9);
                }
                System.out.printf(Locale.ROOT, "| %,d | %s | %,d | %.3f | %.3f |%n", n, method, size, bestWall,
                        bestCpu);
            }
        }
    }

    private static SelectionInput input(int n, int dims, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        int[] forgetting = new int[n];
        double[] entropy = new double[n];
        float[] emb = new float[n * Math.max(dims, 1)];
        float[][] centres = new float[10][Math.max(dims, 1)];
        for (float[] c : centres) {
            for (int k = 0; k < c.length; k++) {
                c[k] = (float) (3 * gaussian(rng));
            }
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
            forgetting[i] = rng.nextInt(8);
            entropy[i] = Math.pow(10, -20 * rng.nextDouble());
            for (int k = 0; k < dims; k++) {
                emb[i * dims + k] = centres[labels[i]][k] + (float) gaussian(rng);
            }
        }
        ScoreTable table = ScoreTable.of(labels, entropy).withForgetting(forgetting);
        Optional<Embeddings> embeddings = dims == 0 ? Optional.empty() : Optional.of(new Embeddings(emb, n, dims));
        return new SelectionInput(table, embeddings, 10);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
