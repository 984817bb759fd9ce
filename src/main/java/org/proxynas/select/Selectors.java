package org.proxynas.select;

import java.util.List;
import org.proxynas.common.UserError;

/** The selection methods by command-line name. */
public final class Selectors {
    /** Every method, in the order tables list them: baselines first, the paper's method last. */
    public static final List<String> METHODS = List.of(
            RandomSelector.NAME,
            ClassBalancedRandomSelector.NAME,
            EntropyTopSelector.NAME,
            EntropyBottomSelector.NAME,
            EntropyTailsSelector.NAME,
            ForgettingSelector.NAME,
            KCenterSelector.NAME,
            ProxyDataSelector.NAME);

    private Selectors() {}

    /** The method called {@code name}, configured by {@code options} (stratified by class if asked). */
    public static Selector create(String name, SelectorOptions options) {
        Selector method = switch (name) {
            case RandomSelector.NAME -> new RandomSelector();
            case ClassBalancedRandomSelector.NAME -> new ClassBalancedRandomSelector();
            case EntropyTopSelector.NAME -> new EntropyTopSelector();
            case EntropyBottomSelector.NAME -> new EntropyBottomSelector();
            case EntropyTailsSelector.NAME -> new EntropyTailsSelector(options.lowFraction());
            case ForgettingSelector.NAME -> new ForgettingSelector();
            case KCenterSelector.NAME -> new KCenterSelector();
            case ProxyDataSelector.NAME -> new ProxyDataSelector(options.binWidth(), options.probability());
            default -> throw new UserError("--method: unknown method '" + name + "' (expected one of "
                    + String.join(", ", METHODS) + ")");
        };
        return options.balanced() ? new StratifiedSelector(method) : method;
    }
}
