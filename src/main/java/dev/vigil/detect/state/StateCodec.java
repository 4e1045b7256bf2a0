package dev.vigil.detect.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes a State to a checkpoint with {@link DataOutput} and reads it back with {@link DataInput}: the binary
 * layout of one part, never Java serialization. A part starts with its header ({@link StateIo#header}), so
 * reading stops at once, naming what differs, when the bytes were written for another model, configuration or
 * dimension; every count is checked against the reader's capacities before it sizes or indexes anything, so
 * damaged bytes fail with {@link CheckpointFormatException} or another {@link java.io.IOException}, nothing else.
 *
 * @param <M> the model whose state this is
 * @param <S> the state
 */
public interface StateCodec<M, S> {

    void write(DataOutput out, S state) throws IOException;

    /**
     * Reads a state written for a model like {@code target}: built from the same configuration and dimension.
     * {@code target} only supplies what to expect (header, capacities); it is not changed.
     */
    S read(DataInput in, M target) throws IOException;
}
