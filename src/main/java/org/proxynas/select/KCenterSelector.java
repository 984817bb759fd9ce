package org.proxynas.select;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.proxynas.common.Progress;
import org.proxynas.score.Embeddings;

/**
 * Sener and Savarese's greedy k-center core-set on the baseline's embeddings: a seeded random first centre,
 * then repeatedly the point farthest (Euclidean) from all centres chosen so far, ties to the lower index.
 *
 * <p>Exact, but fast: each point keeps its squared distance to, and the id of, its nearest centre. When a
 * new centre {@code c} is at least twice as far from a point's nearest centre {@code a} as the point itself
 * is, the triangle inequality gives {@code d(x,c) >= d(c,a) - d(x,a) >= d(x,a)}, so the point's distance
 * to {@code c} is not computed at all. As centres accumulate, almost every point is skipped this way.
 */
public final class KCenterSelector implements Selector {
    public static final String NAME = "kcenter";
    /** Skip only with room to spare, so float rounding can never skip a point brute force would update. */
    private static final float SKIP_MARGIN = 1.001f;
    /** Below this many floats per step, handing work to other threads costs more than it saves. */
    private static final long PARALLEL_MIN_WORK = 1L << 20;

    /** Runs longer than a few seconds (size × n × d multiply-adds before pruning) show a progress bar. */
    private static final double PROGRESS_MIN_WORK = 2e10;

    private final long parallelMinWork;

    public KCenterSelector() {
        this(PARALLEL_MIN_WORK);
    }

    /** {@code parallelMinWork} = 0 splits every step over the cores (tests use it on small sets). */
    KCenterSelector(long parallelMinWork) {
        this.parallelMinWork = parallelMinWork;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> missingInput(SelectionInput in) {
        return in.embeddings().isPresent() ? Optional.empty() : Optional.of("needs embeddings");
    }

    @Override
    public int[] choose(SelectionInput in, int size, long seed) {
        Embeddings emb = in.embeddings().orElseThrow();
        int first = new SplittableRandom(seed).nextInt(emb.n());
        boolean slow = (double) size * emb.n() * emb.d() > PROGRESS_MIN_WORK;
        try (Progress progress = slow ? Progress.start("k-center", size, "centres") : null) {
            return greedy(emb, size, first, progress);
        }
    }

    private int[] greedy(Embeddings emb, int size, int first, Progress progress) {
        float[] x = emb.data();
        int n = emb.n();
        int d = emb.d();
        float[] nearestDist = new float[n];
        int[] nearest = new int[n];
        Arrays.fill(nearestDist, Float.POSITIVE_INFINITY);
        int[] centres = new int[size];
        float[] centreToCentre = new float[size];
        // Points are independent within a step, so splitting them over cores cannot change the result.
        int chunks = (long) n * d < parallelMinWork ? 1 : Runtime.getRuntime().availableProcessors();
        int next = first;
        for (int s = 0; s < size; s++) {
            int c = next;
            int step = s;
            centres[s] = c;
            for (int t = 0; t < s; t++) {
                centreToCentre[t] = squaredDistance(x, c * d, centres[t] * d, d);
            }
            // A chosen point is marked so it is never chosen again, even among duplicate points.
            nearestDist[c] = -1f;
            if (chunks == 1) {
                update(x, d, c, step, centreToCentre, nearestDist, nearest, 0, n);
            } else {
                IntStream.range(0, chunks).parallel().forEach(k -> update(x, d, c, step, centreToCentre, nearestDist,
                        nearest, (int) ((long) n * k / chunks), (int) ((long) n * (k + 1) / chunks)));
            }
            next = argMax(nearestDist);
            if (progress != null) {
                progress.step(1);
            }
        }
        return centres;
    }

    /** Lowers the nearest distance of points {@code from..to-1} to centre {@code c} (step {@code s}) where closer. */
    private static void update(float[] x, int d, int c, int s, float[] centreToCentre, float[] nearestDist,
                               int[] nearest, int from, int to) {
        int cOffset = c * d;
        for (int i = from; i < to; i++) {
            float m = nearestDist[i];
            if (m < 0 || (s > 0 && centreToCentre[nearest[i]] >= 4f * m * SKIP_MARGIN)) {
                continue;
            }
            float dist = squaredDistance(x, i * d, cOffset, d);
            if (dist < m) {
                nearestDist[i] = dist;
                nearest[i] = s;
            }
        }
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Four independent sums let the CPU overlap the additions; the order is fixed, so results are too. */
    static float squaredDistance(float[] x, int a, int b, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            float e0 = x[a + k] - x[b + k];
            float e1 = x[a + k + 1] - x[b + k + 1];
            float e2 = x[a + k + 2] - x[b + k + 2];
            float e3 = x[a + k + 3] - x[b + k + 3];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        for (; k < d; k++) {
            float e = x[a + k] - x[b + k];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
