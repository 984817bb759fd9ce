package org.proxynas.select;

import java.util.SplittableRandom;

/**
 * Weighted sampling without replacement with numpy's {@code choice(replace=False, p)} semantics: draws one
 * at a time, each with probability proportional to {@code p} among the examples not yet drawn.
 *
 * <p>Efraimidis and Spirakis (2006) show that giving example {@code i} the key {@code u_i^(1/p_i)}, with
 * {@code u_i} independent uniforms, and keeping the {@code k} largest keys yields exactly that distribution
 * of sets (the key order is the draw order). We use the monotone equivalent {@code log(u_i)/p_i}, which
 * does not underflow for tiny {@code p_i}. One pass and one primitive sort: well under a second at 1.28M.
 */
final class WeightedSampler {
    private WeightedSampler() {}

    static int[] sample(double[] p, int k, SplittableRandom rng) {
        double[] key = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            // 1 - nextDouble() lies in (0, 1], so the logarithm is finite.
            key[i] = Math.log(1.0 - rng.nextDouble()) / p[i];
        }
        return TopK.largest(key, k);
    }
}
