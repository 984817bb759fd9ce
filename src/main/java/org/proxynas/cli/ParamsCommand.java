package org.proxynas.cli;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;
import org.proxynas.nas.space.Genotype;
import org.proxynas.train.NetworkCost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code proxynas params}: parameters and multiply-adds of the network a genotype builds. */
@Command(
        name = "params",
        mixinStandardHelpOptions = true,
        description = "Count the parameters (without and with the auxiliary head) and multiply-adds per image of"
                + " the DARTS evaluation network built from a genotype.")
public final class ParamsCommand implements Callable<Integer> {
    @Option(names = "--genotype", defaultValue = "DARTS_V2", paramLabel = "NAME|FILE|TEXT",
            description = "Built-in name (DARTS_V1, DARTS_V2, PC_DARTS, NASNet, AmoebaNet), genotype file"
                    + " (.json or DARTS text) or DARTS text (default: ${DEFAULT-VALUE}).")
    String genotype;

    @Option(names = "--layers", defaultValue = "20", paramLabel = "L",
            description = "Cells; reductions at L/3 and 2L/3 (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--channels", defaultValue = "36", paramLabel = "C",
            description = "Initial channels C, even (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--auxiliary", description = "Add the auxiliary head after cell 2L/3 (counted separately).")
    boolean auxiliary;

    @Option(names = "--classes", defaultValue = "10", paramLabel = "K",
            description = "Output classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--input", defaultValue = "3x32x32", paramLabel = "CxHxW",
            description = "Image channels x height x width (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    /** The documented JSON. */
    record ParamsJson(long params, long paramsWithAuxiliary, long multiplyAdds, String genotype, int layers,
            int channels, boolean auxiliary, int classes, String input, Provenance provenance) {}

    @Override
    public Integer call() throws IOException {
        Shape image = parseInput(input);
        positive("--layers", layers);
        positive("--classes", classes);
        if (channels < 2 || channels % 2 != 0) {
            throw new UserError("--channels: expected an even number >= 2, found " + channels);
        }
        Genotype g = Genotype.resolve(genotype);
        NetworkCost cost = NetworkCost.of(g, layers, channels, auxiliary, classes, image);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Provenance provenance = Provenance.capture("cpu()", RunOptions.recordedCommand(spec));
            out.println(Json.pretty(new ParamsJson(cost.params(), cost.paramsWithAuxiliary(), cost.multiplyAdds(),
                    g.toDartsString(), layers, channels, auxiliary, classes, input, provenance)));
        } else {
            out.printf("genotype        %s%n", Genotype.builtInNames().contains(genotype) ? genotype : g.toDartsString());
            out.printf("network         %d cells, C=%d, %d classes, input %s%s%n", layers, channels, classes, input,
                    auxiliary ? ", auxiliary head" : "");
            out.printf("params          %,d (%s) without the auxiliary head%n", cost.params(), millions(cost.params()));
            out.printf("params + aux    %,d (%s)%n", cost.paramsWithAuxiliary(), millions(cost.paramsWithAuxiliary()));
            out.printf("multiply-adds   %,d (%s) per image%n", cost.multiplyAdds(), millions(cost.multiplyAdds()));
        }
        out.flush();
        return ProxyNas.EXIT_OK;
    }

    /** Papers round to one decimal in millions (DARTS_V2: 3.3M); small networks need more digits. */
    static String millions(long n) {
        return String.format(n >= 100_000 ? "%.1fM" : "%.3fM", n / 1e6);
    }

    static Shape parseInput(String text) {
        String[] parts = text.trim().split("[xX]");
        if (parts.length != 3) {
            throw new UserError("--input: expected CxHxW such as 3x32x32, found '" + text + "'");
        }
        long[] dims = new long[3];
        for (int i = 0; i < 3; i++) {
            try {
                dims[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                dims[i] = 0;
            }
            if (dims[i] <= 0) {
                throw new UserError("--input: expected positive integers CxHxW such as 3x32x32, found '"
                        + text + "'");
            }
        }
        return new Shape(dims);
    }

    private static void positive(String flag, int value) {
        if (value < 1) {
            throw new UserError(flag + ": expected a positive number, found " + value);
        }
    }
}
