package dev.vigil.service.point;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature names of one entity, in the order fixed by its first point. Later points must have exactly these
 * names, in any order; {@link #reorder} puts their values in schema order.
 */
public final class Schema {
    private final String[] names;
    private final Map<String, Integer> index = new HashMap<>();
    /** The last differently ordered name array seen and its permutation: files repeat one header. */
    private volatile Permutation last;

    private record Permutation(String[] names, int[] positions) {
    }

    public Schema(String[] names) {
        this.names = names.clone();
        for (int i = 0; i < this.names.length; i++) {
            index.put(this.names[i], i);
        }
    }

    public String[] names() {
        return names;
    }

    /** {@code values} (named by {@code order}) in schema order, or null when the names differ from the schema. */
    double[] reorder(String[] order, double[] values) {
        if (order == names || Arrays.equals(order, names)) {
            return values;
        }
        if (order.length != names.length) {
            return null;
        }
        Permutation p = last;
        if (p == null || p.names != order) {
            int[] positions = new int[order.length];
            boolean[] seen = new boolean[names.length];
            for (int i = 0; i < order.length; i++) {
                Integer at = index.get(order[i]);
                if (at == null || seen[at]) {
                    return null;
                }
                seen[at] = true;
                positions[i] = at;
            }
            p = new Permutation(order, positions);
            last = p;
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[p.positions[i]] = values[i];
        }
        return out;
    }

    /**
     * Schema features absent from {@code order} (or there fewer times). With {@link #extraIn} it accounts for every
     * difference, so whenever {@link #reorder} refuses a point one of the two names a feature.
     */
    List<String> missingFrom(String[] order) {
        List<String> given = new ArrayList<>(Arrays.asList(order));
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (!given.remove(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    /** Features of {@code order} the schema does not have (or has fewer times). */
    List<String> extraIn(String[] order) {
        List<String> extra = new ArrayList<>();
        boolean[] used = new boolean[names.length];
        for (String n : order) {
            Integer at = index.get(n);
            if (at == null || used[at]) {
                extra.add(n);
            } else {
                used[at] = true;
            }
        }
        return extra;
    }
}
