package org.proxynas.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /**
     * {@code json}, {@code config}'s JSON form, without its locations, also those of the records it holds (a
     * sharded scoring's scoring config, for one).
     */
    public static ObjectNode remove(Object config, ObjectNode json) {
        if (config instanceof Record record) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                if (Path.class.isAssignableFrom(c.getType())) {
                    json.remove(c.getName());
                } else if (json.get(c.getName()) instanceof ObjectNode nested) {
                    try {
                        // a stage's small records are private to the class that keys with them
                        c.getAccessor().setAccessible(true);
                        remove(c.getAccessor().invoke(record), nested);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + c, e);
                    }
                }
            }
        }
        return json;
    }

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
