package org.proxynas.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.proxynas.common.UserError;
import org.proxynas.nas.space.BlockStats;
import org.proxynas.nas.space.Genotype;

/**
 * Size and cost of a network built from a genotype. {@code params} leaves out the auxiliary head (the
 * figure papers report, DARTS' count_parameters_in_MB); {@code paramsWithAuxiliary} includes it (equal to
 * {@code params} without a head). {@code multiplyAdds} is per image for inference, so without the head:
 * convolutions k·k·(Cin/groups)·Cout·Hout·Wout plus linear in·out, not BN, ReLU, pooling or additions.
 */
public record NetworkCost(long params, long paramsWithAuxiliary, long multiplyAdds) {
    public NetworkCost {
        if (params <= 0 || paramsWithAuxiliary < params || multiplyAdds <= 0) {
            throw new UserError("NetworkCost: expected 0 < params <= paramsWithAuxiliary and"
                    + " positive multiplyAdds, found " + params + ", " + paramsWithAuxiliary + ", " + multiplyAdds);
        }
    }

    /** Cost of the CIFAR-style network; {@code input} is C,H,W of one image. */
    public static NetworkCost of(Genotype g, int layers, int channels, boolean auxiliary, int classes, Shape input) {
        if (input.dimension() != 3) {
            throw new UserError("NetworkCost: input must be C,H,W, found " + input);
        }
        return of(new GenotypeNetwork.Config(g, classes, Math.toIntExact(input.get(0)), channels, layers, auxiliary,
                false), input);
    }

    /** Cost of the network {@code config} describes, built and initialized here for one C,H,W image. */
    public static NetworkCost of(GenotypeNetwork.Config config, Shape input) {
        if (input.dimension() != 3 || input.get(0) != config.inputChannels()) {
            throw new UserError("NetworkCost: input must be " + config.inputChannels()
                    + ",H,W, found " + input);
        }
        GenotypeNetwork net = GenotypeNetwork.from(config);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(input));
            long all = BlockStats.trainableParameters(net);
            long auxParams = net.auxiliaryHead().map(BlockStats::trainableParameters).orElse(0L);
            long auxMacs = net.auxiliaryHead().map(BlockStats::multiplyAdds).orElse(0L);
            return new NetworkCost(all - auxParams, all, BlockStats.multiplyAdds(net) - auxMacs);
        }
    }
}
