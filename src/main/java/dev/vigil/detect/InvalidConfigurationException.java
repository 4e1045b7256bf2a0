package dev.vigil.detect;

/** A configuration the detection core cannot run with; the message names the key and what is allowed. */
public final class InvalidConfigurationException extends IllegalArgumentException {
    private final String key;

    public InvalidConfigurationException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The configuration key at fault, e.g. {@code vigil.model.params.num_trees}. */
    public String key() {
        return key;
    }
}
