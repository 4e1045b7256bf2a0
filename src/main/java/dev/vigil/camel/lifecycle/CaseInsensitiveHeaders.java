package dev.vigil.camel.lifecycle;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A message's headers, case-insensitive as Camel requires, kept in two small arrays searched in order. Camel's own
 * map is a {@link TreeMap} ordered case-insensitively: every look-up and insertion compares names character by
 * character, and camel-kafka's names share their first six ({@code kafka.}), so a Kafka record's eight headers cost
 * more than parsing its point. Here a name is found by identity first (the constants the components use), then by
 * length and {@link String#equalsIgnoreCase}. Beyond {@value #LARGE} headers (a client sending hundreds) the map moves
 * to a case-insensitive {@link TreeMap}, so that no request makes its look-ups quadratic.
 *
 * <p>Like Camel's map: a name put again in another case keeps the first spelling; null names are refused, null values
 * taken. Iteration follows insertion (sorted once large). Not thread-safe, as a message's headers are not.
 */
final class CaseInsensitiveHeaders extends AbstractMap<String, Object> {
    static final int LARGE = 32;

    private String[] names;
    private Object[] values;
    private int size;
    /** All the entries once there are more than {@link #LARGE}; the arrays are then unused. */
    private TreeMap<String, Object> large;

    CaseInsensitiveHeaders() {
        names = new String[8];
        values = new Object[8];
    }

    CaseInsensitiveHeaders(Map<String, Object> headers) {
        int n = Math.min(Math.max(8, headers.size()), LARGE);
        names = new String[n];
        values = new Object[n];
        putAll(headers);
    }

    private int indexOf(Object name) {
        if (!(name instanceof String s)) {
            Objects.requireNonNull(name, "header name");
            return -1;
        }
        for (int i = 0; i < size; i++) {
            if (names[i] == s) {
                return i;
            }
        }
        int length = s.length();
        for (int i = 0; i < size; i++) {
            if (names[i].length() == length && names[i].equalsIgnoreCase(s)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return large != null ? large.size() : size;
    }

    @Override
    public boolean containsKey(Object name) {
        return large != null ? large.containsKey(name) : indexOf(name) >= 0;
    }

    @Override
    public Object get(Object name) {
        if (large != null) {
            return large.get(name);
        }
        int i = indexOf(name);
        return i >= 0 ? values[i] : null;
    }

    @Override
    public Object put(String name, Object value) {
        if (large != null) {
            return large.put(name, value);
        }
        int i = indexOf(name);
        if (i >= 0) {
            Object before = values[i];
            values[i] = value;
            return before;
        }
        if (size == LARGE) {
            large = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int j = 0; j < size; j++) {
                large.put(names[j], values[j]);
            }
            names = null;
            values = null;
            size = 0;
            return large.put(name, value);
        }
        if (size == names.length) {
            int grown = Math.min(size * 2, LARGE);
            names = Arrays.copyOf(names, grown);
            values = Arrays.copyOf(values, grown);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return null;
    }

    @Override
    public Object remove(Object name) {
        if (large != null) {
            return large.remove(name);
        }
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        Object before = values[i];
        removeAt(i);
        return before;
    }

    private void removeAt(int i) {
        int after = size - i - 1;
        System.arraycopy(names, i + 1, names, i, after);
        System.arraycopy(values, i + 1, values, i, after);
        size--;
        names[size] = null;
        values[size] = null;
    }

    @Override
    public void clear() {
        if (large != null) {
            large.clear();
            return;
        }
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return large != null ? large.entrySet() : new Entries();
    }

    /** The entries in place: {@code setValue} and the iterator's {@code remove} change the map. */
    private final class Entries extends AbstractSet<Entry<String, Object>> {
        @Override
        public int size() {
            return CaseInsensitiveHeaders.this.size();
        }

        @Override
        public Iterator<Entry<String, Object>> iterator() {
            return new Iterator<>() {
                private int next;
                private boolean removable;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public Entry<String, Object> next() {
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    removable = true;
                    return new HeaderEntry(next++);
                }

                @Override
                public void remove() {
                    if (!removable) {
                        throw new IllegalStateException();
                    }
                    removable = false;
                    removeAt(--next);
                }
            };
        }
    }

    private final class HeaderEntry implements Entry<String, Object> {
        private final String name;
        private final int at;

        HeaderEntry(int at) {
            this.at = at;
            this.name = names[at];
        }

        @Override
        public String getKey() {
            return name;
        }

        @Override
        public Object getValue() {
            return at < size && names[at] == name ? values[at] : CaseInsensitiveHeaders.this.get(name);
        }

        @Override
        public Object setValue(Object value) {
            return CaseInsensitiveHeaders.this.put(name, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry<?, ?> e && name.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return name.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return name + "=" + getValue();
        }
    }
}
