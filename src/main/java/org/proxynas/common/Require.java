package org.proxynas.common;

/**
 * The range checks of the jobs' settings, each failing with one line that names the setting and the value found
 * ({@code lr must be > 0, found -1}), so that every config words them alike and none writes them again. A note
 * says what a boundary value means ({@code 0 = off}).
 */
public final class Require {
    private Require() {}

    /** {@code value > 0} and finite. */
    public static void positive(String setting, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new UserError(setting + " must be > 0, found " + number(value));
        }
    }

    /** {@code value >= 0} and finite. */
    public static void nonNegative(String setting, double value) {
        nonNegative(setting, value, null);
    }

    /** {@code value >= 0} and finite; {@code note} says what 0 means. */
    public static void nonNegative(String setting, double value, String note) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UserError(setting + " must be >= 0" + (note == null ? "" : " (" + note + ")") + ", found "
                    + number(value));
        }
    }

    /** {@code 0 <= value < 1}. */
    public static void fraction(String setting, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new UserError(setting + " must be in [0, 1), found " + number(value));
        }
    }

    /** {@code value >= min}; {@code note}, when not null, says why. */
    public static void atLeast(String setting, long value, long min, String note) {
        if (value < min) {
            throw new UserError(setting + " must be >= " + min + (note == null ? "" : " (" + note + ")")
                    + ", found " + value);
        }
    }

    /** A number as a user wrote it: {@code 5}, not {@code 5.0}. */
    public static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
