package org.proxynas.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;

/**
 * Where a result came from: versions, machine, time and command line. Every JSON file a stage writes
 * carries one under {@code "provenance"}, so two runs can be diffed and a result traced to its inputs.
 */
public record Provenance(
        String proxynasVersion,
        String djlVersion,
        String pytorchVersion,
        String javaVersion,
        String os,
        String host,
        int cores,
        String device,
        String commit,
        String createdAt,
        List<String> command) {

    public Provenance {
        command = List.copyOf(command);
    }

    /**
     * Captures the current process. {@code device} is what the engine computes on (e.g. "cpu()"); stages
     * that never start the engine pass "none".
     */
    public static Provenance capture(String device, List<String> command) {
        return new Provenance(
                Versions.proxynas(),
                Versions.djl(),
                Versions.pytorch(),
                Versions.java(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                hostName(),
                Runtime.getRuntime().availableProcessors(),
                device,
                System.getProperty("proxynas.commit", "unknown"),
                Instant.now().toString(),
                command);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
