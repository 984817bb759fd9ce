package org.proxynas.common;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Command lines written for people to paste into a POSIX shell: a word the shell would split or expand (a
 * space, a quote, a {@code $}, ...) is single-quoted, so a path with spaces stays one argument.
 */
public final class ShellWords {
    /** Words made only of these characters mean the same to the shell quoted or not. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {}

    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        // inside single quotes nothing is special except the quote itself: close, escape it, reopen
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}
