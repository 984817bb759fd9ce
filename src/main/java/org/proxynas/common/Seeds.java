package org.proxynas.common;

import java.util.SplittableRandom;

/**
 * Every random generator of a run gets its seed from here, as a pure function of the run's seed and where
 * the generator is used, so a resumed run replays an uninterrupted one draw for draw. The three derivations
 * differ in detail because they were introduced one stage at a time; changing any of them would change the
 * results of every seeded run, so they stay as they are, in one place.
 */
public final class Seeds {
    private Seeds() {}

    /** Independent generator number {@code stream} of a run seeded {@code seed} (SplitMix64's finalizer). */
    public static long stream(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The data pipeline's generator for (seed, epoch, stream): stream 0 orders an epoch, stream 1 + b
     * augments its batch b. Unrelated streams for neighbouring seeds and epochs.
     */
    public static long data(long seed, long epoch, long stream) {
        long h = finalizer(seed);
        h = finalizer(h ^ epoch);
        return finalizer(h ^ stream);
    }

    /** The engine's (PyTorch's) seed at the start of epoch {@code epoch} of training; -1 initializes. */
    public static int engine(long seed, int epoch) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L))).nextInt();
    }

    private static long finalizer(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return (z ^ (z >>> 31)) + 0x9E3779B97F4A7C15L;
    }
}
