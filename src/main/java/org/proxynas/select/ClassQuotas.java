package org.proxynas.select;

import org.proxynas.common.UserError;

/** How many of {@code total} examples each class gets, never more than the class holds. */
final class ClassQuotas {
    private ClassQuotas() {}

    /**
     * The same count for every class; what a class cannot fill is spread over the others, and a remainder
     * goes one each to the lowest-numbered classes that still have room.
     */
    static int[] equal(int[] capacity, int total) {
        int[] quota = new int[capacity.length];
        int remaining = total;
        while (remaining > 0) {
            int open = 0;
            for (int c = 0; c < capacity.length; c++) {
                if (quota[c] < capacity[c]) {
                    open++;
                }
            }
            if (open == 0) {
                throw new UserError("cannot place " + total + " examples in classes holding fewer");
            }
            int share = remaining / open;
            for (int c = 0; c < capacity.length && remaining > 0; c++) {
                if (quota[c] < capacity[c]) {
                    int add = Math.min(Math.max(share, 1), capacity[c] - quota[c]);
                    quota[c] += add;
                    remaining -= add;
                }
            }
        }
        return quota;
    }

    /**
     * Counts proportional to the class sizes (largest-remainder rounding, ties to the lower class), so the
     * selection keeps the class balance of the full set.
     */
    static int[] proportional(int[] capacity, int total) {
        long sum = 0;
        for (int cap : capacity) {
            sum += cap;
        }
        if (total > sum) {
            throw new UserError("cannot place " + total + " examples in classes holding " + sum);
        }
        int[] quota = new int[capacity.length];
        long[] remainder = new long[capacity.length];
        int given = 0;
        for (int c = 0; c < capacity.length; c++) {
            long scaled = (long) total * capacity[c];
            quota[c] = (int) (scaled / sum);
            remainder[c] = scaled % sum;
            given += quota[c];
        }
        for (; given < total; given++) {
            int best = -1;
            for (int c = 0; c < capacity.length; c++) {
                if (quota[c] < capacity[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
        }
        return quota;
    }
}
