package org.proxynas.data;

import java.util.Locale;
import org.proxynas.common.UserError;

/** Which part of a dataset: the training split (scored, selected, searched on) or the held-out test split. */
public enum Split {
    TRAIN,
    TEST;

    /** Parses "train" or "test" (case-insensitive); anything else is a user error naming the value. */
    public static Split parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("unknown split '" + text + "' (expected train or test)");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
