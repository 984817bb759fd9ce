package org.proxynas.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory counters from Linux's /proc, which the benchmarks report next to their timings. */
final class ProcessStats {
    private ProcessStats() {}

    /** Resident memory now (VmRSS), in KiB; -1 where /proc cannot be read. */
    static long rssKb() {
        return status("VmRSS:");
    }

    /** Peak resident memory so far (VmHWM), in KiB, as the reference's ru_maxrss reports it; -1 if unreadable. */
    static long peakRssKb() {
        return status("VmHWM:");
    }

    /** Minor page faults so far (/proc/self/stat, field 10): memory the kernel had to map anew; -1 if unreadable. */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the command name (field 2) may hold spaces; fields after it are counted from its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
