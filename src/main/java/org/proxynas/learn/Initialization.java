package org.proxynas.learn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.proxynas.common.Seeds;

/**
 * Initializes a network's weights on the CPU and then places them on the manager's device. The CPU and
 * CUDA random generators draw different numbers from the same seed, so initializing on the device would
 * make one seed give different networks on a CPU and a GPU; drawn on the CPU, a run on either device
 * starts from the same weights and differs only by floating-point rounding.
 */
public final class Initialization {
    private Initialization() {}

    /**
     * The weights a training run seeded {@code seed} starts from, for images of shape C×H×W {@code image}: the
     * engine's generator seeded as for epoch -1, then {@link #initialize} in float32 with one image. The training
     * loop and whoever must measure the same untrained network (the zero-cost measures) call this one method.
     */
    public static void seeded(Block network, NDManager manager, long seed, Shape image) {
        if (image.dimension() != 3) {
            throw new IllegalArgumentException("image shape must be C,H,W, found " + image);
        }
        Engine.getInstance().setRandomSeed(Seeds.engine(seed, -1));
        initialize(network, manager, DataType.FLOAT32, new Shape(1).addAll(image));
    }

    /** Like {@link Block#initialize}, with weights drawn from the engine's CPU generator. */
    public static void initialize(Block block, NDManager manager, DataType dataType, Shape... inputShapes) {
        if (manager.getDevice().isGpu()) {
            initializeOnCpu(block, manager, dataType, inputShapes);
        } else {
            block.initialize(manager, dataType, inputShapes);
        }
    }

    /** Draws the weights in a CPU scope, then loads them into {@code manager}, on whatever device it is. */
    static void initializeOnCpu(Block block, NDManager manager, DataType dataType, Shape... inputShapes) {
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
            block.initialize(cpu, dataType, inputShapes);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                block.saveParameters(out);
            }
            // loading replaces every parameter array by one decoded on the target device
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moving initialized weights to " + manager.getDevice(), e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("moving initialized weights to " + manager.getDevice(), e);
        }
    }
}
