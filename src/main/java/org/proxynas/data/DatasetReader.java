package org.proxynas.data;

import java.io.IOException;
import java.nio.file.Path;

/** One on-disk format: reads one split of the dataset stored in {@code dir}, validating everything it reads. */
interface DatasetReader {

    /** {@code name} is the spec the user gave, kept as the dataset's name. */
    ImageDataset read(String name, Path dir, Split split, DatasetOptions options) throws IOException;
}
