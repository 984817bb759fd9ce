package org.proxynas.experiment;

import java.util.Collection;
import java.util.Comparator;

/** The known name a mistyped one most likely meant: the nearest by edit distance, case ignored. */
final class ClosestName {
    private ClosestName() {}

    static String of(String typed, Collection<String> known) {
        return known.stream().min(Comparator.comparingInt((String k) -> distance(typed.toLowerCase(),
                k.toLowerCase())).thenComparing(Comparator.naturalOrder())).orElse("");
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
