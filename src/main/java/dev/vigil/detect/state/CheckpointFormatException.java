package dev.vigil.detect.state;

import java.io.IOException;

/**
 * A checkpoint that does not fit the instance reading it: written by another model, transform, configuration or
 * dimension, or holding values no instance could have written. The message names what does not match.
 */
public final class CheckpointFormatException extends IOException {
    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
