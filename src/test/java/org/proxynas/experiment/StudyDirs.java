package org.proxynas.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What the study tests do to a study directory: copy it, and see which stages have (re)run. */
final class StudyDirs {
    private StudyDirs() {}

    /** Every stage's {@code done.json} with its modification time: a stage that runs again rewrites it. */
    static Map<Path, FileTime> doneFiles(Path dir) throws IOException {
        Map<Path, FileTime> times = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().equals(StageStore.DONE)).toList()) {
                times.put(p, Files.getLastModifiedTime(p));
            }
        }
        return times;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
