package org.proxynas.common;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one resume rule of every stage that checkpoints (score, search, train): with resume, the checkpoint
 * must be there to continue; without it, an output that already holds one is refused rather than silently
 * overwritten.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** Checks {@code checkpoint} against the resume flag; returns whether the run continues from it. */
    public static boolean resumes(Path checkpoint, boolean resume) {
        if (resume && !Files.isRegularFile(checkpoint)) {
            throw new UserError("--resume: no checkpoint " + checkpoint + " to continue");
        }
        if (!resume && Files.exists(checkpoint)) {
            throw new UserError(checkpoint.getParent() + " already holds a run (" + checkpoint.getFileName()
                    + "); pass --resume to continue it, or choose another output");
        }
        return resume;
    }
}
