package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.nas.space.GdasReductionCell;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.OpSelection;
import org.proxynas.nas.space.Primitives;

/**
 * GDAS (Dong and Yang 2019, "Searching for A Robust Neural Architecture in Four GPU Hours"), as the
 * authors' search in the NASNet/DARTS space (D-X-Y/AutoDL-Projects: {@code search_model_gdas_nasnet.py},
 * {@code exps/NAS-Bench-201-algos/GDAS.py}). Every forward pass samples one operation per edge with the
 * Gumbel-max trick, p = softmax((log_softmax(α) + g) / τ) with Gumbel noise g and k = argmax p, and the
 * edge computes only h_k · op_k(x) with h = onehot(k) − sg(p) + p: the value is op_k(x), and the backward
 * pass reaches α through p (straight-through). Evaluating one operation instead of eight is GDAS' speed.
 * Each step trains the weights on a training batch first, then α on a validation batch (AutoDL's order,
 * the reverse of DARTS'), each pass with its own sample; τ falls linearly over the epochs (10 → 0.1). The
 * genotype follows AutoDL's rule ({@link #genotype}).
 *
 * <p>Both cell types are searched by default, as AutoDL's {@code NASNet-space-search-by-GDAS.sh} and the
 * released GDAS_V1 cell; with a fixed reduction its {@code -FRC} variant: the supernet's reduction cells
 * are the hand-designed {@link GdasReductionCell}, only the normal cell is searched (α of the reduction cell
 * then reaches nothing), and the genotype's reduction cell is that cell. The end-of-epoch validation, which
 * AutoDL runs on a fresh sample, runs on the most likely architecture (argmax α per edge) so that it is
 * deterministic.
 */
final class Gdas implements SearchAlgorithm {
    private final IntToDoubleFunction temperatureAt;
    private final boolean fixedReduction;

    /**
     * @param temperatureAt τ in each epoch
     * @param fixedReduction GDAS-FRC: the supernet's reduction cells are {@link GdasReductionCell}
     */
    Gdas(IntToDoubleFunction temperatureAt, boolean fixedReduction) {
        this.temperatureAt = temperatureAt;
        this.fixedReduction = fixedReduction;
    }

    @Override
    public String name() {
        return "gdas";
    }

    @Override
    public StepStats step(SearchModel model, Batch train, Batch val, StepContext context) {
        NDManager m = context.manager();
        ArchitectureParameters arch = model.architecture();
        ArchitectureSnapshot now = arch.snapshot();
        StepStats stats = model.weightStep(m, train, Sample.draw(now, context.random()).oneHot(m),
                context.weightLr());
        if (context.updateArchitecture()) {
            Sample sample = Sample.draw(now, context.random());
            double tau = temperatureAt.applyAsDouble(context.epoch());
            arch.zeroGradients();
            try (NDManager phase = m.newSubManager()) {
                model.backwardWithoutWeights(() -> model.loss(phase, val, sample.straightThrough(arch, tau, phase)));
            }
            model.architectureStep(m);
        }
        return stats;
    }

    @Override
    public SortedMap<String, Object> endEpoch(SearchModel model, int epoch) {
        SortedMap<String, Object> info = new TreeMap<>();
        info.put("temperature", temperatureAt.applyAsDouble(epoch));
        return info;
    }

    /**
     * AutoDL's genotype rule for GDAS, not DARTS': per node the two strongest (operation, input) pairs over
     * all its incoming edges, {@code none} excluded, so both may read the same input; ties keep the lower
     * input, then the lower operation (Python's stable sort). With a fixed reduction, that cell.
     */
    @Override
    public Genotype genotype(ArchitectureSnapshot architecture, int multiplier) {
        int nodes = 0;
        while (ArchitectureParameters.edgesOf(nodes) < architecture.normal().length) {
            nodes++;
        }
        List<Integer> concat = IntStream.range(2 + nodes - multiplier, nodes + 2).boxed().toList();
        return fixedReduction
                ? new Genotype(strongestPairs(architecture.normal(), nodes), concat, GdasReductionCell.EDGES,
                        GdasReductionCell.CONCAT)
                : new Genotype(strongestPairs(architecture.normal(), nodes), concat,
                        strongestPairs(architecture.reduce(), nodes), concat);
    }

    private static List<Genotype.Edge> strongestPairs(float[][] softmax, int nodes) {
        List<Genotype.Edge> cell = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            int first = ArchitectureParameters.edgesOf(node);
            record Pair(int input, int op, float weight) {}
            List<Pair> pairs = new ArrayList<>();
            for (int input = 0; input < node + 2; input++) {
                for (int op = 1; op < Primitives.NAMES.size(); op++) {
                    pairs.add(new Pair(input, op, softmax[first + input][op]));
                }
            }
            pairs.stream().sorted(Comparator.comparingDouble(p -> -p.weight())).limit(2)
                    .forEach(p -> cell.add(new Genotype.Edge(Primitives.NAMES.get(p.op()), p.input())));
        }
        return cell;
    }

    /** Every edge's most likely operation, alone, with weight 1. */
    @Override
    public Mixing evaluationMixing(SearchModel model, NDManager step) {
        ArchitectureSnapshot now = model.architecture().snapshot();
        return oneHot(argMaxes(now.normal(), null), argMaxes(now.reduce(), null), step);
    }

    /**
     * One Gumbel-max sample per edge of both cell types: the noise g ({@code −log(−log u)}, u uniform in
     * (0, 1)) and the operations it picks, argmax(log softmax(α) + g), which is argmax p at any τ.
     */
    record Sample(int[] normal, int[] reduce, float[][] gumbelNormal, float[][] gumbelReduce) {

        static Sample draw(ArchitectureSnapshot softmax, SplittableRandom rng) {
            float[][] gNormal = gumbel(softmax.normal().length, softmax.normal()[0].length, rng);
            float[][] gReduce = gumbel(softmax.reduce().length, softmax.reduce()[0].length, rng);
            return new Sample(argMaxes(softmax.normal(), gNormal), argMaxes(softmax.reduce(), gReduce), gNormal,
                    gReduce);
        }

        /** The sample as constants: exactly one-hot rows, what the weight step trains. */
        Mixing oneHot(NDManager m) {
            return Gdas.oneHot(normal, reduce, m);
        }

        /**
         * h = onehot − sg(p) + p, p = softmax((log_softmax(α) + g) · (1/τ)) from the live α, in {@code phase}:
         * one-hot in value, with p's gradient. 1/τ is an engine-made scalar, never a Java number on the graph.
         */
        Mixing straightThrough(ArchitectureParameters arch, double tau, NDManager phase) {
            List<NDArray> alpha = arch.tensors();
            NDArray inverseTau = phase.full(new Shape(), (float) (1 / tau));
            NDList weights = new NDList(2);
            weights.add(hard(alpha.get(0), gumbelNormal, normal, inverseTau, phase));
            weights.add(hard(alpha.get(1), gumbelReduce, reduce, inverseTau, phase));
            return new Mixing(weights, new OpSelection(boxed(normal), boxed(reduce)));
        }

        /** p = softmax((log_softmax(α) + g)/τ) for α and this sample's noise, in {@code phase}. */
        static NDArray probabilities(NDArray alpha, float[][] gumbel, NDArray inverseTau, NDManager phase) {
            NDArray logits = alpha.logSoftmax(-1);
            logits.attach(phase);
            return logits.add(ArchitectureParameters.matrix(phase, gumbel)).mul(inverseTau).softmax(-1);
        }

        private static NDArray hard(NDArray alpha, float[][] gumbel, int[] picked, NDArray inverseTau,
                NDManager phase) {
            NDArray p = probabilities(alpha, gumbel, inverseTau, phase);
            return oneHotRows(phase, picked).sub(p.stopGradient()).add(p);
        }
    }

    /** Per row, the first index of the largest {@code log(softmax) + noise} (no noise: of softmax). */
    private static int[] argMaxes(float[][] softmax, float[][] noise) {
        int[] out = new int[softmax.length];
        for (int e = 0; e < softmax.length; e++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < softmax[e].length; k++) {
                double v = Math.log(softmax[e][k]) + (noise == null ? 0 : noise[e][k]);
                if (v > best) {
                    best = v;
                    out[e] = k;
                }
            }
        }
        return out;
    }

    private static float[][] gumbel(int rows, int cols, SplittableRandom rng) {
        float[][] g = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                double u;
                do {
                    u = rng.nextDouble();
                } while (u == 0);
                g[r][k] = (float) -Math.log(-Math.log(u));
            }
        }
        return g;
    }

    /** Rows with a 1 in column {@code picked[row]}. */
    private static NDArray oneHotRows(NDManager m, int[] picked) {
        float[][] rows = new float[picked.length][Primitives.NAMES.size()];
        for (int e = 0; e < picked.length; e++) {
            rows[e][picked[e]] = 1;
        }
        return ArchitectureParameters.matrix(m, rows);
    }

    /** These operations alone, each with weight exactly 1. */
    private static Mixing oneHot(int[] normal, int[] reduce, NDManager m) {
        return new Mixing(new NDList(oneHotRows(m, normal), oneHotRows(m, reduce)),
                new OpSelection(boxed(normal), boxed(reduce)));
    }

    private static List<Integer> boxed(int[] v) {
        List<Integer> out = new ArrayList<>(v.length);
        for (int x : v) {
            out.add(x);
        }
        return out;
    }
}
