package org.proxynas.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.proxynas.experiment.RankMethod;
import org.proxynas.nas.search.SearchAlgorithms;
import org.proxynas.select.Selectors;
import org.proxynas.zerocost.ZeroCostMeasures;

/** The registries' names as picocli completion candidates, so that help texts list what the registries hold. */
final class Registries {
    private Registries() {}

    /** {@code --method}: every selection method. */
    static final class SelectionMethods implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Selectors.METHODS.iterator();
        }
    }

    /**
     * {@code rank --methods}: every way a ranking study ranks: a selection method (trained on its proxy), each
     * training-free measure ({@code zc:NAME}, or its bare name for one that reads no data), and a combination.
     */
    static final class RankMethods implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> all = new ArrayList<>(Selectors.METHODS);
            for (String measure : ZeroCostMeasures.NAMES) {
                all.add(RankMethod.DATA_FREE.contains(measure) ? measure : RankMethod.ZERO_COST + measure);
            }
            all.add(RankMethod.MEAN + "A/B");
            return all.iterator();
        }
    }

    /** {@code --algo}: every search algorithm. */
    static final class SearchAlgorithmNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return SearchAlgorithms.names().iterator();
        }
    }
}
