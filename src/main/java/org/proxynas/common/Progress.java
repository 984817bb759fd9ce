package org.proxynas.common;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with ETA on stderr, for every long loop (training epochs, search steps, scoring).
 * On a terminal it redraws in place; when stderr is not a terminal (CI, a pipe, nohup) it prints a whole
 * line, bar and message included, at most every ten seconds, so logs stay readable.
 * {@code -Dproxynas.quiet=true} silences it.
 */
public final class Progress implements AutoCloseable {
    /** Wide enough for the bar, the counts, the ETA and a message such as "epoch 3/50 loss 1.234 acc 0.612". */
    static final int LINE_WIDTH = 160;

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    public static Progress start(String task, long total, String unit) {
        if (Boolean.getBoolean("proxynas.quiet")) {
            return new Progress(null);
        }
        return start(task, total, unit, System.err, System.console() != null);
    }

    static Progress start(String task, long total, String unit, PrintStream out, boolean terminal) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed(new java.text.DecimalFormat("0.00"))
                .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(terminal ? 500 : 10_000)
                // off a terminal the console consumer cannot learn a width and squeezes the bar to "[ ]"
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(out, LINE_WIDTH)
                        : new DelegatingProgressBarConsumer(withoutRepeats(out), LINE_WIDTH))
                .continuousUpdate()
                .setEtaFunction(state -> state.getCurrent() <= state.getStart() ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofMillis((long) ((double) state.getElapsedAfterStart().toMillis()
                                / (state.getCurrent() - state.getStart())
                                * (state.getMax() - state.getCurrent())))));
        return new Progress(b.build());
    }

    /**
     * Prints each line unless it repeats the one before: off a terminal the bar's final refresh and its close
     * print the same finished line, which doubled every finished bar in a log file.
     */
    private static Consumer<String> withoutRepeats(PrintStream out) {
        String[] last = {null};
        return line -> {
            if (!line.equals(last[0])) {
                out.println(line);
                last[0] = line;
            }
        };
    }

    public void step(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    /** Replaces the free text shown after the bar, e.g. "epoch 3/50 loss 1.234 acc 0.612". */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(" · " + text);
        }
    }

    /** Jumps to an absolute position, e.g. when a resumed run starts past zero. */
    public void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
