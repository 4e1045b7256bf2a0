package dev.vigil.detect.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** State written to and read back from a checkpoint, never with Java serialization. */
public interface Stateful {
    /** Writes everything needed to continue exactly where this instance is: the same later inputs give the same scores. */
    void writeState(DataOutput out) throws IOException;

    /**
     * Replaces this instance's state with one written by {@link #writeState} of an instance built from the same
     * configuration and dimensions; throws {@link CheckpointFormatException} (extends IOException, message names
     * what does not match) when it was not. When it throws, this instance may hold part of the new state: discard
     * it and build a fresh one.
     */
    void readState(DataInput in) throws IOException;
}
