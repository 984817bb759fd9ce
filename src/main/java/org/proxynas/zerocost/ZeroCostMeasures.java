package org.proxynas.zerocost;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.proxynas.common.UserError;

/**
 * The zero-cost measures by name: the one registry. Adding a measure is one class implementing
 * {@link ZeroCostMeasure} plus one line here; help texts and validation read the names from it.
 */
public final class ZeroCostMeasures {
    /** Name → factory, in the order tables list them: the gradient measures of Abdelfattah et al., NASWOT, sizes. */
    private static final Map<String, Supplier<ZeroCostMeasure>> REGISTRY = registry();

    /** Every measure, in registry order. */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    private ZeroCostMeasures() {}

    private static Map<String, Supplier<ZeroCostMeasure>> registry() {
        Map<String, Supplier<ZeroCostMeasure>> m = new LinkedHashMap<>();
        m.put(Synflow.NAME, Synflow::new);
        m.put(Snip.NAME, Snip::new);
        m.put(GradNorm.NAME, GradNorm::new);
        m.put(Grasp.NAME, Grasp::new);
        m.put(Fisher.NAME, Fisher::new);
        m.put(JacobianCovariance.NAME, JacobianCovariance::new);
        m.put(Naswot.NAME, Naswot::new);
        m.put(ParameterCount.NAME, ParameterCount::new);
        m.put(MultiplyAdds.NAME, MultiplyAdds::new);
        return Collections.unmodifiableMap(m);
    }

    /** The measure called {@code name}. */
    public static ZeroCostMeasure create(String name) {
        Supplier<ZeroCostMeasure> factory = REGISTRY.get(name);
        if (factory == null) {
            throw new UserError("zero-cost measure: unknown measure '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        }
        return factory.get();
    }
}
