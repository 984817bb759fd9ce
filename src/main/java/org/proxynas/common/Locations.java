package org.proxynas.common;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The locations of a job's config: its fields of type {@link Path} (an output directory, an input file). A location
 * says where, not what: what an input holds is compared by its checksum or its stage's key, so a run moved to
 * another directory is the same run, and a stage's key ignores where it is.
 */
public final class Locations {
    private Locations() {}

    /** The names of {@code config}'s location fields; none for a value that is not a record. */
    public static Set<String> of(Object config) {
        Set<String> names = new TreeSet<>();
        if (config instanceof Record record) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                if (Path.class.isAssignableFrom(c.getType())) {
                    names.add(c.getName());
                }
            }
        }
        return names;
    }
}
