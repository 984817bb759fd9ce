package org.proxynas.data;

import java.util.List;
import org.proxynas.common.UserError;

/** What {@code proxynas data info} reports: size, shape, classes with their counts, content checksum. */
public record DatasetInfo(
        String dataset,
        Split split,
        int examples,
        int channels,
        int height,
        int width,
        List<String> classNames,
        int[] classCounts,
        String sha256) {

    public DatasetInfo {
        classNames = List.copyOf(classNames);
        classCounts = classCounts.clone();
        if (classCounts.length != classNames.size()) {
            throw new UserError(dataset + ": " + classCounts.length + " class counts for "
                    + classNames.size() + " classes");
        }
    }

    /** Reads every image once (for the checksum) and every label. */
    public static DatasetInfo of(ImageDataset d) {
        int[] counts = new int[d.numClasses()];
        for (int label : d.labels()) {
            counts[label]++;
        }
        return new DatasetInfo(d.name(), d.split(), d.size(), d.channels(), d.height(), d.width(), d.classNames(),
                counts, Datasets.checksum(d));
    }

    public int classes() {
        return classNames.size();
    }

    @Override
    public int[] classCounts() {
        return classCounts.clone();
    }
}
