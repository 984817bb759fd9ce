package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderInThisProcessIsRefusedNamingTheDirectoryAndTheHolder() throws IOException {
        Path out = dir.resolve("out");
        try (DirectoryLock lock = DirectoryLock.acquire(out)) {
            String holder = Files.readString(out.resolve(DirectoryLock.FILE)).strip();
            assertThat(holder).matches(ProcessHandle.current().pid() + "@\\S+ since \\d{4}-\\d\\d-\\d\\dT\\S+Z");
            assertThatThrownBy(() -> DirectoryLock.acquire(out))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(out.toRealPath() + " is in use by another run (pid " + holder
                            + "); wait for it to end or choose another directory");
            assertThat(lock.tookOverFrom()).isEmpty();
        }
        DirectoryLock.acquire(out).close();
    }

    @Test
    void threadsRacingForOneDirectoryGetItOneAtATime() throws Exception {
        Path out = dir.resolve("out");
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<DirectoryLock>> attempts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                attempts.add(pool.submit(() -> {
                    start.await();
                    try {
                        return DirectoryLock.acquire(out);
                    } catch (IllegalArgumentException refused) {
                        return null;
                    }
                }));
            }
            start.countDown();
            List<DirectoryLock> won = new ArrayList<>();
            for (Future<DirectoryLock> f : attempts) {
                if (f.get() != null) {
                    won.add(f.get());
                }
            }
            assertThat(won).hasSize(1);
            won.get(0).close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLockFileLeftByAKilledRunIsTakenOver() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(DirectoryLock.FILE), "4242@elsewhere since 2020-01-01T00:00:00Z\n");
        try (DirectoryLock lock = DirectoryLock.acquire(out)) {
            assertThat(lock.tookOverFrom()).contains(
                    new DirectoryLock.Holder(4242, "elsewhere", Instant.parse("2020-01-01T00:00:00Z")));
            assertThat(Files.readString(out.resolve(DirectoryLock.FILE))).startsWith(ProcessHandle.current().pid() + "@");
        }
    }

    @Test
    void releasingRemovesTheLockFileAndTheDirectoriesItCreatedUnlessARunWroteIntoThem() throws IOException {
        DirectoryLock.acquire(dir.resolve("a/b")).close();
        assertThat(dir.resolve("a")).doesNotExist();

        Path used = dir.resolve("c/d");
        try (DirectoryLock lock = DirectoryLock.acquire(used)) {
            Files.writeString(used.resolve("result.json"), "{}");
        }
        try (var left = Files.list(used)) {
            assertThat(left).containsExactly(used.resolve("result.json"));
        }

        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertThat(lock.directory()).isEqualTo(dir.toRealPath());
        }
        assertThat(dir).isDirectory();
        assertThat(dir.resolve(DirectoryLock.FILE)).doesNotExist();
    }
}
