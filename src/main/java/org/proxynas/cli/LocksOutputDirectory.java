package org.proxynas.cli;

import java.nio.file.Path;

/**
 * A command whose run writes into one directory: {@link Execution} holds that directory's
 * {@link org.proxynas.common.DirectoryLock} for the whole run, so that a second run into it is refused.
 */
interface LocksOutputDirectory {
    /** The directory the run writes into (its flags are parsed, nothing else has happened yet). */
    Path outputDirectory();
}
