package dev.vigil.detect;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * String parameters of one model or transform, as written in the configuration, read into typed builder
 * settings. Every error names the full key ({@code prefix + name}) and what was expected; {@link #finish}
 * refuses names nobody asked for, listing the ones that exist.
 */
public final class Params {
    private final String prefix;
    private final Map<String, String> values;
    private final Precision precision;
    private final Set<String> known = new TreeSet<>();

    /**
     * @param prefix what precedes a parameter name in the configuration, e.g. {@code vigil.model.params.}
     */
    public Params(String prefix, Map<String, String> values) {
        this(prefix, values, Precision.DEFAULT);
    }

    /**
     * @param precision the pipeline's {@code vigil.memory.precision}, for the models that keep points
     */
    public Params(String prefix, Map<String, String> values, Precision precision) {
        this.prefix = prefix;
        this.values = new TreeMap<>(values);
        this.precision = precision;
    }

    /** How the pipeline wants big point stores kept; not a parameter of its own, so never "unknown". */
    public Precision precision() {
        return precision;
    }

    public Params intValue(String name, IntConsumer setter) {
        String raw = lookup(name);
        if (raw != null) {
            try {
                setter.accept(Integer.parseInt(raw.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(prefix + name, "must be an integer, was '" + raw + "'");
            }
        }
        return this;
    }

    public Params longValue(String name, LongConsumer setter) {
        String raw = lookup(name);
        if (raw != null) {
            try {
                setter.accept(Long.parseLong(raw.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(prefix + name, "must be an integer, was '" + raw + "'");
            }
        }
        return this;
    }

    public Params doubleValue(String name, DoubleConsumer setter) {
        String raw = lookup(name);
        if (raw != null) {
            double value;
            try {
                value = Double.parseDouble(raw.trim());
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(prefix + name, "must be a number, was '" + raw + "'");
            }
            if (!Double.isFinite(value)) {
                throw new InvalidConfigurationException(prefix + name, "must be a finite number, was '" + raw + "'");
            }
            setter.accept(value);
        }
        return this;
    }

    /** {@code true} or {@code false}, nothing else. */
    public Params booleanValue(String name, Consumer<Boolean> setter) {
        String raw = lookup(name);
        if (raw != null) {
            String value = raw.trim().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new InvalidConfigurationException(prefix + name, "must be true or false, was '" + raw + "'");
            }
            setter.accept(value.equals("true"));
        }
        return this;
    }

    /** Accepts a name that the owner ignores (e.g. {@code seed} for a model without randomness). */
    public Params ignored(String name) {
        lookup(name);
        return this;
    }

    /**
     * Runs the owner's own validation, rewriting its messages (which start with the parameter name) to carry
     * the full key, then refuses parameters that were never read.
     */
    public void finish(String owner, Runnable validation) {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidConfigurationException(prefix + name,
                        "unknown parameter of " + owner + "; allowed: " + String.join(", ", known));
            }
        }
        try {
            validation.run();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String name = known.stream().filter(n -> message.startsWith(n + " "))
                    .max((a, b) -> a.length() - b.length()).orElse("");
            throw new InvalidConfigurationException(prefix + name,
                    name.isEmpty() ? message : message.substring(name.length()).trim());
        }
    }

    /** The names read so far. */
    public Set<String> names() {
        return new TreeSet<>(known);
    }

    private String lookup(String name) {
        known.add(name);
        return values.get(name);
    }
}
