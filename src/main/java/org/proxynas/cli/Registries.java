package org.proxynas.cli;

import java.util.Iterator;
import org.proxynas.nas.search.SearchAlgorithms;
import org.proxynas.select.Selectors;

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

    /** {@code --algo}: every search algorithm. */
    static final class SearchAlgorithmNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return SearchAlgorithms.names().iterator();
        }
    }
}
