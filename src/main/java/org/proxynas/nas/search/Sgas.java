package org.proxynas.nas.search;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.OpSelection;
import org.proxynas.nas.space.Primitives;

/**
 * SGAS (Li et al. 2020, "SGAS: Sequential Greedy Architecture Search"), as the authors' cnn/train_search.py:
 * first-order DARTS on a supernet that narrows as the search goes. At the end of epoch
 * {@code decisionWarmup}, and every {@code decisionFrequency} epochs after it, each cell type fixes one of
 * its undecided edges greedily: the edge with the best score, to its strongest operation other than
 * {@code none}. A decided edge then evaluates only that operation and its α stops moving; once a node has
 * two decided inputs its other inputs are pruned. After 2n decisions (n nodes) every edge is decided, the
 * search ends, and the genotype is the decided edges.
 *
 * <p>The score ({@code edge_decision}) of an edge with softmax weights p: importance = Σ_{k≠none} p_k;
 * certainty = 1 − H(q)/log 7, H the entropy of q = the non-{@code none} weights renormalized; criterion 2
 * adds stability = the mean over the last {@code historySize} epochs of the histogram intersection Σ_k
 * min(q_k, q'_k) with that epoch's q'. Each term is min-max normalized over all edges of the cell type
 * (all zeros when they are equal) and the score is their product.
 *
 * <p>Not reproduced: the authors grow the batch size by 8 after every decision to use the memory pruning
 * frees; here the batch size stays {@code --batch-size}.
 */
final class Sgas implements SearchAlgorithm {
    private final SearchConfig.SgasSettings settings;
    private final int nodes;
    private final FirstOrderDarts darts = new FirstOrderDarts();
    private final CellDecisions normal;
    private final CellDecisions reduce;

    Sgas(SearchConfig.SgasSettings settings, int nodes) {
        this.settings = settings;
        this.nodes = nodes;
        this.normal = new CellDecisions(nodes);
        this.reduce = new CellDecisions(nodes);
    }

    @Override
    public String name() {
        return "sgas";
    }

    @Override
    public StepStats step(SearchModel model, Batch train, Batch val, StepContext context) {
        // the supernet as narrowed so far (again after a resume, which restores only the decisions)
        model.prune(selection());
        return darts.step(model, train, val, context);
    }

    /** Decided edges evaluate their operation, pruned ones nothing, the rest the whole mixture. */
    private OpSelection selection() {
        return new OpSelection(normal.boxed(), reduce.boxed());
    }

    /** Scores every edge, remembers the epoch's distributions (criterion 2) and decides when scheduled. */
    @Override
    public SortedMap<String, Object> endEpoch(SearchModel model, int epoch) {
        ArchitectureSnapshot now = model.architecture().snapshot();
        SortedMap<String, Object> info = new TreeMap<>();
        info.put("normal", normal.endEpoch(now.normal(), epoch));
        info.put("reduce", reduce.endEpoch(now.reduce(), epoch));
        return info;
    }

    /** The decided edges; before the last decision, the undecided nodes filled in as SGAS logs them. */
    @Override
    public Genotype genotype(ArchitectureSnapshot architecture, int multiplier) {
        List<Integer> concat = IntStream.range(2 + nodes - multiplier, nodes + 2).boxed().toList();
        return new Genotype(normal.cell(architecture.normal()), concat, reduce.cell(architecture.reduce()), concat);
    }

    /** What the log shows of one cell type after an epoch; {@code decided} is null when no edge was decided. */
    record CellInfo(Integer decided, List<String> edges, double[] scores) {}

    /** The decisions and the distribution history of one cell type. */
    private final class CellDecisions {
        /** Per edge: {@link OpSelection#ALL} while undecided, then its operation or {@link OpSelection#PRUNED}. */
        private final int[] edges;
        private final List<double[][]> history = new ArrayList<>();

        CellDecisions(int nodes) {
            edges = new int[ArchitectureParameters.edgesOf(nodes)];
            Arrays.fill(edges, OpSelection.ALL);
        }

        CellInfo endEpoch(float[][] softmax, int epoch) {
            double[] scores = scores(softmax, history, settings.criterion());
            if (settings.criterion() == 2) {
                history.add(operationDistribution(softmax));
                if (history.size() > settings.historySize()) {
                    history.remove(0);
                }
            }
            Integer decided = null;
            if (settings.decidesAt(epoch) && undecided() > 0) {
                decided = best(scores);
                edges[decided] = 1 + argMax(operationDistribution(softmax)[decided]);
                pruneFullNodes();
            }
            return new CellInfo(decided, Arrays.stream(edges).mapToObj(Sgas::describe).toList(), scores);
        }

        private long undecided() {
            return Arrays.stream(edges).filter(e -> e == OpSelection.ALL).count();
        }

        /** The undecided edge with the highest score; the first on ties, as torch.argmax. */
        private int best(double[] scores) {
            int best = -1;
            for (int e = 0; e < edges.length; e++) {
                if (edges[e] == OpSelection.ALL && (best < 0 || scores[e] > scores[best])) {
                    best = e;
                }
            }
            return best;
        }

        /** A node with two decided inputs keeps only those ({@code check_edges}). */
        private void pruneFullNodes() {
            for (int node = 0; node < nodes; node++) {
                int first = firstEdge(node);
                int inputs = node + 2;
                long decided = IntStream.range(first, first + inputs).filter(e -> isDecided(edges[e])).count();
                if (decided >= 2) {
                    for (int e = first; e < first + inputs; e++) {
                        if (edges[e] == OpSelection.ALL) {
                            edges[e] = OpSelection.PRUNED;
                        }
                    }
                }
            }
        }

        /**
         * Two edges per node in input order: the decided ones, and while a node has fewer than two, its
         * undecided edges of highest importance with their strongest operation ({@code parse_gene_force}).
         */
        List<Genotype.Edge> cell(float[][] softmax) {
            double[] importance = importance(softmax);
            List<Genotype.Edge> cell = new ArrayList<>();
            for (int node = 0; node < nodes; node++) {
                int first = firstEdge(node);
                int inputs = node + 2;
                int missing = 2 - (int) IntStream.range(first, first + inputs).filter(e -> isDecided(edges[e])).count();
                List<Integer> filledIn = IntStream.range(first, first + inputs).boxed()
                        .filter(e -> edges[e] == OpSelection.ALL)
                        .sorted((a, b) -> Double.compare(importance[b], importance[a]))
                        .limit(Math.max(missing, 0)).toList();
                for (int e = first; e < first + inputs; e++) {
                    int op = isDecided(edges[e]) ? edges[e]
                            : filledIn.contains(e) ? 1 + argMax(operationDistribution(softmax)[e]) : -1;
                    if (op >= 0) {
                        cell.add(new Genotype.Edge(Primitives.NAMES.get(op), e - first));
                    }
                }
            }
            return cell;
        }

        List<Integer> boxed() {
            return Arrays.stream(edges).boxed().toList();
        }

        void save(DataOutputStream out) throws IOException {
            for (int e : edges) {
                out.writeInt(e);
            }
            out.writeInt(history.size());
            for (double[][] distribution : history) {
                for (double[] row : distribution) {
                    for (double q : row) {
                        out.writeDouble(q);
                    }
                }
            }
        }

        void load(DataInputStream in) throws IOException {
            for (int e = 0; e < edges.length; e++) {
                edges[e] = in.readInt();
            }
            history.clear();
            int epochs = in.readInt();
            for (int h = 0; h < epochs; h++) {
                double[][] distribution = new double[edges.length][Primitives.NAMES.size() - 1];
                for (double[] row : distribution) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] = in.readDouble();
                    }
                }
                history.add(distribution);
            }
        }
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        normal.save(out);
        reduce.save(out);
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        normal.load(in);
        reduce.load(in);
    }

    /** Node i's inputs are edges i(i+3)/2 .. i(i+3)/2 + i + 1 (DARTS' edge order). */
    private static int firstEdge(int node) {
        return ArchitectureParameters.edgesOf(node);
    }

    /** An edge's state is its operation once decided, else {@link OpSelection#ALL} or {@link OpSelection#PRUNED}. */
    private static boolean isDecided(int edge) {
        return edge >= 0;
    }

    private static String describe(int edge) {
        return edge == OpSelection.ALL ? null : edge == OpSelection.PRUNED ? "pruned" : Primitives.NAMES.get(edge);
    }

    /**
     * SGAS' score of every edge from its softmax weights (rows; column 0 is {@code none}) and, for criterion
     * 2, the operation distributions of earlier epochs (oldest first).
     */
    static double[] scores(float[][] softmax, List<double[][]> history, int criterion) {
        double[] score = minMaxNormalized(importance(softmax));
        double[][] q = operationDistribution(softmax);
        multiply(score, minMaxNormalized(certainty(q)));
        if (criterion == 2) {
            multiply(score, minMaxNormalized(stability(q, history)));
        }
        return score;
    }

    /** Σ of the non-{@code none} weights of each edge. */
    static double[] importance(float[][] softmax) {
        double[] out = new double[softmax.length];
        for (int e = 0; e < softmax.length; e++) {
            for (int k = 1; k < softmax[e].length; k++) {
                out[e] += softmax[e][k];
            }
        }
        return out;
    }

    /** The non-{@code none} weights of each edge, renormalized to sum to 1. */
    static double[][] operationDistribution(float[][] softmax) {
        double[] importance = importance(softmax);
        double[][] out = new double[softmax.length][softmax[0].length - 1];
        for (int e = 0; e < softmax.length; e++) {
            for (int k = 1; k < softmax[e].length; k++) {
                out[e][k - 1] = softmax[e][k] / importance[e];
            }
        }
        return out;
    }

    /** 1 − entropy / log(operations): 1 for a certain choice, 0 for a uniform one. */
    static double[] certainty(double[][] q) {
        double[] out = new double[q.length];
        for (int e = 0; e < q.length; e++) {
            double entropy = 0;
            for (double p : q[e]) {
                entropy -= p > 0 ? p * Math.log(p) : 0;
            }
            out[e] = 1 - entropy / Math.log(q[e].length);
        }
        return out;
    }

    /** Mean histogram intersection of each edge's distribution with those of earlier epochs; 0 without any. */
    static double[] stability(double[][] q, List<double[][]> history) {
        double[] out = new double[q.length];
        for (double[][] earlier : history) {
            for (int e = 0; e < q.length; e++) {
                for (int k = 0; k < q[e].length; k++) {
                    out[e] += Math.min(q[e][k], earlier[e][k]) / history.size();
                }
            }
        }
        return out;
    }

    /** (v − min) / (max − min); all zeros when every value is the same, as SGAS' {@code utils.normalize}. */
    static double[] minMaxNormalized(double[] v) {
        double min = Arrays.stream(v).min().orElse(0);
        double range = Arrays.stream(v).max().orElse(0) - min;
        return Arrays.stream(v).map(x -> range > 0 ? (x - min) / range : 0).toArray();
    }

    private static void multiply(double[] into, double[] by) {
        for (int i = 0; i < into.length; i++) {
            into[i] *= by[i];
        }
    }

    /** The first index of the largest value. */
    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
