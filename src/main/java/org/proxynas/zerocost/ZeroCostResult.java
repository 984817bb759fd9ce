package org.proxynas.zerocost;

import java.util.List;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;

/**
 * What {@link ZeroCostJob} measured: each measure's value and the seconds it took (network construction and data
 * excluded), in the order the config asked for them.
 *
 * @param network the network's description, e.g. {@code DARTS_V2 C=16 L=8}
 * @param examples how many training examples the batches were drawn from (the subset's size, if any)
 */
public record ZeroCostResult(
        ZeroCostConfig config,
        String network,
        int examples,
        List<Measurement> measurements,
        Provenance provenance) {

    public ZeroCostResult {
        measurements = List.copyOf(measurements);
    }

    /** One measure's value and its cost. */
    public record Measurement(String name, double value, double seconds) {}

    /** The value of the measure called {@code name}. */
    public double value(String name) {
        return measurements.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new UserError("zero-cost result: no measure '" + name + "', measured "
                        + measurements.stream().map(Measurement::name).toList()))
                .value();
    }
}
