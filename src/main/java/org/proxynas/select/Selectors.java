package org.proxynas.select;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.proxynas.common.UserError;

/**
 * The selection methods by name: the one registry. Adding a method is one class implementing
 * {@link Selector} plus one line here; the CLI's help and the experiment's validation read the names from it.
 */
public final class Selectors {
    /** Name → how to build the method from the settings, in the order tables list them: baselines first. */
    private static final Map<String, Function<SelectorOptions, Selector>> REGISTRY = registry();

    /** Every method, in registry order. */
    public static final List<String> METHODS = List.copyOf(REGISTRY.keySet());

    private Selectors() {}

    private static Map<String, Function<SelectorOptions, Selector>> registry() {
        Map<String, Function<SelectorOptions, Selector>> m = new LinkedHashMap<>();
        m.put(RandomSelector.NAME, options -> new RandomSelector());
        m.put(ClassBalancedRandomSelector.NAME, options -> new ClassBalancedRandomSelector());
        m.put(EntropyTopSelector.NAME, options -> new EntropyTopSelector());
        m.put(EntropyBottomSelector.NAME, options -> new EntropyBottomSelector());
        m.put(EntropyTailsSelector.NAME, options -> new EntropyTailsSelector(options.lowFraction()));
        m.put(ForgettingSelector.NAME, options -> new ForgettingSelector());
        m.put(KCenterSelector.NAME, options -> new KCenterSelector());
        m.put(EntropyHistogramSelector.NAME, options -> new EntropyHistogramSelector(options.binWidth(), options.probability()));
        return Collections.unmodifiableMap(m);
    }

    /** The method called {@code name}, configured by {@code options} (stratified by class if asked). */
    public static Selector create(String name, SelectorOptions options) {
        Function<SelectorOptions, Selector> factory = REGISTRY.get(name);
        if (factory == null) {
            throw new UserError("method: unknown method '" + name + "' (expected one of "
                    + String.join(", ", METHODS) + ")");
        }
        Selector method = factory.apply(options);
        return options.balanced() ? new StratifiedSelector(method) : method;
    }
}
