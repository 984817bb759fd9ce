package org.proxynas.zerocost;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.proxynas.learn.ForwardHooks;

/**
 * Hands a network's blocks the values of its parameters for one pass of a measure, never the parameters' own
 * arrays: each value is made once, in this store's manager and in its precision, from a detached view of the
 * parameter (no copy when the precision is the parameter's), so gradients land on tensors of the measure's own and the
 * network stays exactly as it was. Batch norm's running statistics are always copies: a forward in training mode
 * updates them in place. The store also carries the measure's {@link ForwardHooks} into the blocks.
 */
final class MeasureStore extends ParameterStore implements ForwardHooks.Carrier {
    private final NDManager manager;
    private final DataType precision;
    private final BiFunction<Parameter, NDArray, NDArray> value;
    private final ForwardHooks hooks;
    private final Map<Parameter, NDArray> values = new IdentityHashMap<>();

    /**
     * {@code value} makes a parameter's value from the parameter and a detached view of its array in
     * {@code precision} that belongs to {@code manager} (what it computes from that view belongs there too);
     * {@code hooks} go into the forward passes.
     */
    MeasureStore(NDManager manager, DataType precision, BiFunction<Parameter, NDArray, NDArray> value,
            ForwardHooks hooks) {
        super(manager, false);
        this.manager = manager;
        this.precision = precision;
        this.value = value;
        this.hooks = hooks;
    }

    /** The parameters as they are (float32), none collecting a gradient. */
    static MeasureStore constants(NDManager manager, ForwardHooks hooks) {
        return new MeasureStore(manager, DataType.FLOAT32, (parameter, view) -> view, hooks);
    }

    /** Every trainable parameter, in {@code precision}, a leaf of its own that collects its gradient; no hooks. */
    static MeasureStore leaves(NDManager manager, DataType precision) {
        return new MeasureStore(manager, precision, (parameter, view) -> {
            view.setRequiresGradient(parameter.requiresGradient());
            return view;
        }, ForwardHooks.NONE);
    }

    @Override
    public ForwardHooks forwardHooks() {
        return hooks;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        return values.computeIfAbsent(parameter, p -> {
            NDArray view = p.getArray().stopGradient();
            view.attach(manager);
            NDArray inPrecision = view.toType(precision, false);
            if (!isRunningStatistic(p)) {
                return value.apply(p, inPrecision);
            }
            // batch norm updates them in place: a copy. A conversion is one; toType to the same type, even with
            // copy = true, is not (libtorch returns the tensor itself)
            return inPrecision == view ? view.duplicate() : inPrecision;
        });
    }

    /** The value the pass used for {@code parameter}; null when the pass never read it. */
    NDArray valueOf(Parameter parameter) {
        return values.get(parameter);
    }

    private static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
    }
}
