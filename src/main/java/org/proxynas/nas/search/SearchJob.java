package org.proxynas.nas.search;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.Checksums;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Progress;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.RunDirectory;
import org.proxynas.common.Seeds;
import org.proxynas.common.UserError;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.data.DataLoader;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.data.Splits;
import org.proxynas.data.SubsetFile;
import org.proxynas.learn.AdamUpdater;
import org.proxynas.learn.Initialization;
import org.proxynas.learn.LrSchedule;
import org.proxynas.learn.SgdUpdater;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.Primitives;
import org.proxynas.nas.space.SearchNetwork;

/**
 * A whole architecture search as a job: reads the dataset (and the proxy subset), searches, and writes
 * everything into the output directory (see README, {@code proxynas search}). Checkpoints after every
 * epoch; a run context with {@link RunContext#resume()} continues from the last one and produces the same
 * log and genotype as an uninterrupted run.
 */
public final class SearchJob {
    /** The checkpoint a search writes into its output directory after every epoch. */
    public static final String CHECKPOINT = SearchCheckpoint.FILE;
    /** Written last: a search.json means the search finished. */
    static final String SUMMARY = "search.json";
    static final String LOG = "log.jsonl";

    private SearchJob() {}

    /** The data a search sees, resolved and checked before anything is written. */
    private record SearchData(ImageDataset all, int[] subset, String subsetSha256, ImageDataset train,
            ImageDataset val) {}

    /** What genotype.json holds ({@link Genotype#read} takes the genotype back). */
    record GenotypeFile(Genotype genotype, Provenance provenance) {}

    /** What search.json holds. */
    record Summary(SearchResult result, String genotypeText, String bestGenotypeText, Provenance provenance) {}

    public static SearchResult run(SearchConfig config) throws IOException {
        return run(config, RunContext.DEFAULT);
    }

    /** Runs (or resumes) the search {@code config} describes, on the context's device. */
    public static SearchResult run(SearchConfig config, RunContext context) throws IOException {
        SearchConfig c = config.resolved();
        SearchAlgorithms.Kind kind = SearchAlgorithms.require(c.algorithm());
        SearchData data = openData(c);
        Device device = context.device().resolve();
        Provenance provenance = Provenance.capture(ComputeDevice.describe(device), context.command());
        Map<String, String> inputs = new TreeMap<>(Map.of("dataset", Datasets.checksum(data.all())));
        if (data.subsetSha256() != null) {
            inputs.put("subset", data.subsetSha256());
        }
        RunDirectory.Run run = new RunDirectory.Run(c, inputs, Map.of("dataset", c.dataset(), "datasetSize",
                data.all().size(), "searchExamples", data.subset() == null ? data.all().size() : data.subset().length,
                "trainExamples", data.train().size(), "valExamples", data.val().size(), "primitives",
                Primitives.NAMES), provenance);
        try (RunDirectory dir = RunDirectory.open(c.outDir(), CHECKPOINT, SUMMARY, run, context.resume(),
                context.progress())) {
            return search(c, kind, data, device, dir.continues(), provenance, context);
        }
    }

    private static SearchResult search(SearchConfig c, SearchAlgorithms.Kind kind, SearchData data, Device device,
            boolean resuming, Provenance provenance, RunContext context) throws IOException {
        Path dir = c.outDir();
        Engine.getInstance().setRandomSeed((int) c.seed());
        try (NDManager root = NDManager.newBaseManager(device)) {
            SearchNetwork network = SearchNetwork.builder()
                    .setClasses(data.all().numClasses())
                    .setInputChannels(data.all().channels())
                    .optChannels(c.channels())
                    .optLayers(c.layers())
                    .optNodes(c.nodes())
                    .optMultiplier(c.multiplier())
                    .optStemMultiplier(c.stemMultiplier())
                    .optPartialChannels(c.partialChannels())
                    .optFixedReduction(c.gdas() != null && c.gdas().fixedReduction())
                    .build();
            int edges = network.edgesPerCell();
            int ops = Primitives.NAMES.size();
            Shape[] inputs = kind.edgeWeights()
                    ? new Shape[] {imageShape(data.all()), new Shape(edges, ops), new Shape(edges, ops),
                        new Shape(edges), new Shape(edges)}
                    : new Shape[] {imageShape(data.all()), new Shape(edges, ops), new Shape(edges, ops)};
            Initialization.initialize(network, root, DataType.FLOAT32, inputs);
            ArchitectureParameters arch = ArchitectureParameters.initialize(root, c.nodes(), ops, kind.edgeWeights(),
                    Seeds.stream(c.seed(), 0x0a1fa));
            SgdUpdater sgd = SgdUpdater.builder().optMomentum(c.momentum()).optWeightDecay(c.weightDecay()).build();
            AdamUpdater adam = AdamUpdater.builder().optBetas(c.archBeta1(), c.archBeta2()).optWeightDecay(c.archWeightDecay())
                    .build();
            SearchAlgorithm algorithm = kind.create(c);
            try (SearchModel model = new SearchModel(root, network, arch, sgd, adam, c.archLr(), c.gradClip())) {
                SearchCheckpoint start = resuming
                        ? SearchCheckpoint.read(dir, model, algorithm)
                        : new SearchCheckpoint(0, 0, 0, -1, Double.NEGATIVE_INFINITY, List.of(),
                                c.reselection() != null ? SearchCheckpoint.AdaptiveProxy.first(data.subset()) : null);
                SearchCheckpoint end = searchEpochs(c, algorithm, model, data, root, start, context.progress());
                return finish(c, end, provenance);
            }
        }
    }

    private static SearchData openData(SearchConfig c) throws IOException {
        ImageDataset all = Datasets.open(c.dataset(), Split.TRAIN);
        int[] subset = null;
        String subsetSha = null;
        ImageDataset search = all;
        if (c.subsetFile() != null) {
            subset = SubsetFile.read(c.subsetFile(), all.size());
            subsetSha = Checksums.sha256(c.subsetFile());
            search = all.subset(subset);
        } else if (c.reselection() != null) {
            // an adaptive search needs no scoring stage: its first proxy is random, a function of the seed
            subset = Reselector.firstProxy(c, Reselector.drawable(c, all).size());
            search = all.subset(subset);
        }
        ImageDataset[] halves;
        try {
            halves = Splits.split(search, c.trainPortion());
        } catch (UserError e) {
            throw new UserError("trainPortion " + c.trainPortion() + ": " + e.getMessage());
        }
        Datasets.requireReadable(search);
        // as train and score refuse it: a batch larger than the data is a typo, not a recipe
        int smallerHalf = Math.min(halves[0].size(), halves[1].size());
        if (c.batchSize() > smallerHalf) {
            throw new UserError("batchSize " + c.batchSize() + " exceeds the " + smallerHalf
                    + " examples of the smaller search half (" + search.size() + " examples split at trainPortion "
                    + c.trainPortion() + ")");
        }
        if (c.reselection() != null) {
            new Reselector(c, all, Normalization.of(all)).requirePool(subset.length);
        }
        return new SearchData(all, subset, subsetSha, halves[0], halves[1]);
    }

    /** The weight and architecture halves of the proxy {@code subset}, split as the first proxy was. */
    private static ImageDataset[] halves(ImageDataset all, int[] subset, SearchConfig c) {
        return Splits.split(all.subset(subset), c.trainPortion());
    }

    private static Shape imageShape(ImageDataset d) {
        return new Shape(1, d.channels(), d.height(), d.width());
    }

    private static DataLoader loader(ImageDataset half, SearchConfig c, Normalization norm, long stream) {
        return DataLoader.builder()
                .setDataset(half)
                .setBatchSize(c.batchSize())
                .optShuffle(true)
                .optSeed(Seeds.stream(c.seed(), stream))
                .optAugmentation(Datasets.defaultAugmentation(half))
                .optNormalization(norm)
                // a last batch of one example would break batch-norm in training mode
                .optDropLast(half.size() % c.batchSize() == 1)
                .build();
    }

    private static SearchCheckpoint searchEpochs(SearchConfig c, SearchAlgorithm algorithm, SearchModel model,
            SearchData data, NDManager root, SearchCheckpoint start, ProgressListener progressListener)
            throws IOException {
        Path dir = c.outDir();
        Normalization norm = Normalization.of(data.all());
        DataLoader trainLoader = loader(data.train(), c, norm, 1);
        DataLoader valLoader = loader(data.val(), c, norm, 2);
        SearchCheckpoint.AdaptiveProxy proxy = start.proxy();
        Reselector reselector = c.reselection() != null ? new Reselector(c, data.all(), norm) : null;
        if (proxy != null) { // the proxy the checkpoint was searching on: the first one, or a re-selected one
            ImageDataset[] current = halves(data.all(), proxy.subset(), c);
            trainLoader = loader(current[0], c, norm, 1);
            valLoader = loader(current[1], c, norm, 2);
        }
        LrSchedule schedule = new LrSchedule.Cosine(c.lr(), c.lrMin(), c.epochs());
        int stepsPerEpoch = trainLoader.batchesPerEpoch();
        List<String> log = new ArrayList<>(start.logLines());
        AtomicFiles.writeString(dir.resolve(LOG), joinLines(log));
        SearchCheckpoint state = start;
        long steps = (long) c.epochsToRun() * stepsPerEpoch;
        try (Progress progress = progressListener.bar("search " + algorithm.name(), steps, "step")) {
            progress.stepTo((long) start.epochsDone() * stepsPerEpoch);
            for (int epoch = start.epochsDone(); epoch < c.epochsToRun(); epoch++) {
                long t0 = System.nanoTime();
                double lr = schedule.lr(epoch);
                boolean updateArch = epoch >= c.archWarmupEpochs();
                Engine.getInstance().setRandomSeed((int) Seeds.stream(c.seed(), 0xe90c + epoch));
                StepStats train = StepStats.EMPTY;
                Iterator<Batch> trainBatches = trainLoader.epoch(root, epoch);
                Iterator<Batch> valBatches = valLoader.epoch(root, epoch);
                int restarts = 0;
                for (int step = 0; trainBatches.hasNext(); step++) {
                    if (!valBatches.hasNext()) {
                        restarts++;
                        valBatches = valLoader.epoch(root, epoch + restarts * c.epochs());
                    }
                    try (Batch t = aligned(trainBatches.next()); Batch v = aligned(valBatches.next());
                            NDManager stepManager = root.newSubManager()) {
                        StepContext ctx = new StepContext(stepManager, epoch, lr, updateArch,
                                new SplittableRandom(Seeds.stream(Seeds.stream(c.seed(), 0x5eed + epoch), step)));
                        train = train.plus(algorithm.step(model, t, v, ctx));
                    }
                    progress.step(1);
                    progress.message(String.format(Locale.ROOT, "epoch %d/%d loss %.3f acc %.3f", epoch + 1,
                            c.epochsToRun(), train.loss(), train.accuracy()));
                }
                StepStats val = evaluate(algorithm, model, valLoader, root, epoch);
                SortedMap<String, Object> algorithmInfo = algorithm.endEpoch(model, epoch);
                double seconds = (System.nanoTime() - t0) / 1e9;
                ArchitectureSnapshot arch = model.architecture().snapshot();
                Genotype genotype = algorithm.genotype(arch, c.multiplier());
                ReselectionRecord reselection = null;
                if (reselector != null && c.reselection().after(epoch, c.epochsToRun())) {
                    // after the epoch's decisions, before the checkpoint: a resumed search continues on this proxy
                    Reselector.Outcome next = reselector.reselect(model, algorithm, root, epoch, proxy.subset(),
                            proxy.seen());
                    reselection = next.record();
                    BitSet seen = proxy.seen();
                    for (int i : next.subset()) {
                        seen.set(i);
                    }
                    proxy = new SearchCheckpoint.AdaptiveProxy(next.subset(), seen, proxy.reselections() + 1,
                            proxy.reselectionSeconds() + reselection.seconds());
                    ImageDataset[] current = halves(data.all(), next.subset(), c);
                    trainLoader = loader(current[0], c, norm, 1);
                    valLoader = loader(current[1], c, norm, 2);
                }
                EpochRecord record = new EpochRecord(epoch, lr, train.loss(), train.accuracy(), val.loss(),
                        val.accuracy(), updateArch, arch, genotype.toDartsString(), algorithmInfo, seconds,
                        train.count() / seconds, reselection);
                log.add(Json.line(record));
                boolean best = val.accuracy() > state.bestValAccuracy();
                double reselectionSeconds = reselection == null ? 0 : reselection.seconds();
                state = new SearchCheckpoint(epoch + 1, state.wallSeconds() + seconds + reselectionSeconds,
                        state.trainedImages() + train.count(), best ? epoch : state.bestEpoch(),
                        best ? val.accuracy() : state.bestValAccuracy(), log, proxy);
                AtomicFiles.writeString(dir.resolve(LOG), joinLines(log));
                state.write(dir, model, algorithm);
                progressListener.epochDone("search", epoch, record);
            }
        }
        return state;
    }

    private static StepStats evaluate(SearchAlgorithm algorithm, SearchModel model, DataLoader loader,
            NDManager root, int epoch) {
        StepStats total = StepStats.EMPTY;
        for (Iterator<Batch> it = loader.epoch(root, epoch); it.hasNext(); ) {
            try (Batch b = aligned(it.next()); NDManager m = root.newSubManager()) {
                total = total.plus(model.evaluate(m, b, algorithm.evaluationMixing(model, m)));
            }
        }
        return total;
    }

    /** The batch with its arrays copied into engine-allocated memory ({@link ArchitectureParameters#aligned}). */
    static Batch aligned(Batch b) {
        return new Batch(ArchitectureParameters.aligned(b.images()), ArchitectureParameters.aligned(b.labels()),
                b.indices());
    }

    private static SearchResult finish(SearchConfig c, SearchCheckpoint end, Provenance provenance)
            throws IOException {
        Path dir = c.outDir();
        List<EpochRecord> records = new ArrayList<>();
        for (String line : end.logLines()) {
            records.add(Json.MAPPER.readValue(line, EpochRecord.class));
        }
        EpochRecord last = records.get(records.size() - 1);
        EpochRecord best = records.get(end.bestEpoch());
        Genotype genotype = Genotype.parse(last.genotype());
        Genotype bestGenotype = Genotype.parse(best.genotype());
        AtomicFiles.writeString(dir.resolve("genotype.txt"), genotype.toDartsString() + "\n");
        Json.write(dir.resolve("genotype.json"), new GenotypeFile(genotype, provenance));
        writeDiagram(dir, "normal", genotype.normal(), genotype.normalConcat());
        writeDiagram(dir, "reduce", genotype.reduce(), genotype.reduceConcat());
        SearchResult result = new SearchResult(c.algorithm(), genotype, bestGenotype, best.epoch(),
                best.valAccuracy(), last.valAccuracy(), end.epochsDone(), end.wallSeconds(),
                end.trainedImages() / end.wallSeconds(), end.reselections(), end.reselectionSeconds(),
                PeakMemory.peakRssBytes(), dir);
        Json.write(dir.resolve(SUMMARY), new Summary(result, genotype.toDartsString(),
                bestGenotype.toDartsString(), provenance));
        return result;
    }

    private static void writeDiagram(Path dir, String cell, List<Genotype.Edge> edges, List<Integer> concat)
            throws IOException {
        Path dot = dir.resolve("cell-" + cell + ".dot");
        AtomicFiles.writeString(dot, GraphvizCell.dot(edges, concat, cell));
        GraphvizCell.renderPng(dot, dir.resolve("cell-" + cell + ".png"));
    }

    private static String joinLines(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (String line : lines) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

}
