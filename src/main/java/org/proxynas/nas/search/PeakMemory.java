package org.proxynas.nas.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process' peak resident set size, which counts native (libtorch) memory the JVM heap stats miss. */
final class PeakMemory {
    private PeakMemory() {}

    /** VmHWM from /proc/self/status in bytes, or 0 where it cannot be read (not Linux). */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
