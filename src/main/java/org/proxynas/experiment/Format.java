package org.proxynas.experiment;

import java.util.Locale;

/** Number formats shared by the text table and the HTML report, so both show the same figures. */
public final class Format {
    private Format() {}

    public static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "–";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", (long) seconds / 60, (long) seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", (long) seconds / 3600, ((long) seconds % 3600) / 60);
    }

    public static String params(double params) {
        return String.format(Locale.ROOT, "%.2fM", params / 1e6);
    }

    /** Accuracy in percent, with the std over seeds when there is more than one. */
    public static String accuracy(double mean, double std) {
        return String.format(Locale.ROOT, "%.2f ± %.2f%%", 100 * mean, 100 * std);
    }

    /**
     * What a ranking method gives an architecture, as its kind reads: a test accuracy in percent, a measure in
     * three significant digits, or a mean rank.
     */
    public static String rankValue(RankResults.MethodRanking method, double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "–∞";
        }
        return switch (method.kind()) {
            case "trained" -> String.format(Locale.ROOT, "%.2f%%", 100 * value);
            case "zero-cost" -> String.format(Locale.ROOT, "%.3g", value);
            default -> String.format(Locale.ROOT, "%.1f", value);
        };
    }

    /** A ranking method's proxy ratio, for the methods that train on a proxy; "–" for the others. */
    public static String rankRatio(RankResults.MethodRanking method) {
        return method.kind().equals("trained") ? String.format(Locale.ROOT, "%.2f", method.ratio()) : "–";
    }

    /** A share of k items as a count, "2/3". */
    public static String share(double share, int k) {
        return Math.round(share * k) + "/" + k;
    }

    /** A statistic with its 95% interval, "0.42 [0.05, 0.74]"; "–" where undefined. */
    public static String estimate(RankResults.Estimate e) {
        return estimate(e, "%.2f");
    }

    /** A difference with its interval, signed: "+0.12 [-0.20, +0.41]". */
    public static String difference(RankResults.Estimate e) {
        return estimate(e, "%+.2f");
    }

    private static String estimate(RankResults.Estimate e, String number) {
        if (e == null || Double.isNaN(e.value())) {
            return "–";
        }
        String value = String.format(Locale.ROOT, number, e.value());
        if (Double.isNaN(e.low())) {
            return value + " [–]";
        }
        return value + String.format(Locale.ROOT, " [" + number + ", " + number + "]", e.low(), e.high());
    }
}
