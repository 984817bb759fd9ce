package org.proxynas.select;

import java.io.IOException;
import java.util.Optional;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.ProxyExport;
import org.proxynas.data.Split;
import org.proxynas.score.ScoresCsv;
import org.proxynas.select.ProxySelection.LoadedScores;

/**
 * Step 2 of the method as a job: read the scores, choose the proxy set, write {@code proxy.json} (and the
 * plot and the exported dataset when asked). When the dataset is named or needed, it is opened with the
 * options it was scored with and checked against the scores, label by label and by content checksum, so
 * a proxy set never records the wrong dataset.
 */
public final class SelectionJob {
    private SelectionJob() {}

    public static ProxySet run(SelectionConfig config, RunContext context) throws IOException {
        LoadedScores loaded = ProxySelection.load(config.scores(), config.embeddings(), config.dataset());
        int count = config.count(loaded.input().size());
        SelectorOptions options = config.options(loaded.dataset().orElse(null));
        Selector selector = Selectors.create(config.method(), options);
        Optional<ImageDataset> source = Optional.empty();
        if (config.export() != null || config.dataset() != null) {
            ImageDataset train = openChecked(loaded, config);
            loaded = loaded.withDataset(loaded.dataset().orElseThrow(), Datasets.checksum(train), train.classNames());
            source = Optional.of(train);
        }
        ProxySet set = ProxySelection.select(loaded, selector, count, config.seed(), options.binWidth(),
                Provenance.capture("none", context.command()));
        if (config.export() != null) {
            ProxyExport.write(loaded.dataset().orElseThrow(), source.orElseThrow(), set.indices(), config.export());
        }
        if (config.plot() != null) {
            SelectionPlot.write(config.plot(), set, loaded.classNames());
        }
        Json.write(config.out(), set);
        return set;
    }

    /**
     * The training split the scores belong to: the same label at every scored index (scores may cover only
     * the first examples, never more), and the content checksum the scores' summary recorded.
     */
    private static ImageDataset openChecked(LoadedScores loaded, SelectionConfig config) throws IOException {
        String spec = loaded.dataset().orElseThrow(() -> new UserError("export needs the dataset: name it, or keep"
                + " the scores' summary (" + ScoresCsv.summaryOf(config.scores()).getFileName() + ") next to "
                + config.scores()));
        ImageDataset train = Datasets.open(spec, Split.TRAIN, loaded.datasetOptions());
        int[] labels = train.labels();
        int[] scored = loaded.input().scores().label();
        if (scored.length > labels.length) {
            throw new UserError(config.scores() + ": " + scored.length + " rows but dataset " + spec + " has "
                    + labels.length + " training examples");
        }
        for (int i = 0; i < scored.length; i++) {
            if (labels[i] != scored[i]) {
                throw new UserError(config.scores() + ": index " + i + " has label " + scored[i] + " but dataset "
                        + spec + " says " + labels[i] + " (scores from another dataset or another order?)");
            }
        }
        String sha = Datasets.checksum(train);
        if (loaded.datasetSha256().isPresent() && !loaded.datasetSha256().get().equals(sha)) {
            throw new UserError(ScoresCsv.summaryOf(config.scores()) + " says the scored dataset had SHA-256 "
                    + loaded.datasetSha256().get() + ", " + spec + " has " + sha);
        }
        return train;
    }
}
