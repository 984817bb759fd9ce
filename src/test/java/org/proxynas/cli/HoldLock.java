package org.proxynas.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.proxynas.common.DirectoryLock;

/** The other process of the lock tests: holds the lock of {@code args[0]} until its stdin is closed. */
final class HoldLock {
    private HoldLock() {}

    public static void main(String[] args) throws IOException {
        try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // holding
            }
        }
    }
}
