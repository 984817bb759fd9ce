package org.proxynas.common;

/** How an error reads wherever one line is all there is room for: the CLI, a worker's answer, error.json. */
public final class ErrorMessages {
    private ErrorMessages() {}

    /** The exception's message, or its class's simple name when it has none, first line only. */
    public static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return firstLine(message);
    }

    /** The text up to its first line break. */
    public static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }
}
