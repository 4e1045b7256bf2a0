package dev.vigil.detect.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How the state of a model goes into a checkpoint and comes back: its {@link StateMapper}, then its
 * {@link StateCodec}. This is what a pipeline asks of each of its stages, and what the service calls.
 *
 * @param <M> the model
 */
public interface StateFormat<M> {

    /** Writes everything needed to continue exactly where {@code model} is: the same later inputs give the same scores. */
    void write(DataOutput out, M model) throws IOException;

    /**
     * Replaces the state of {@code model} with one {@link #write} wrote for a model built from the same
     * configuration and dimension; throws {@link CheckpointFormatException} (an IOException, the message names what
     * does not match) when it was not. The state is read in full and checked before the model is changed.
     */
    void read(DataInput in, M model) throws IOException;

    /**
     * The format of the models of class {@code type} as seen through a wider type (a {@code KnnDetector} as a
     * {@code Detector}): {@code mapper} to and from the State, {@code codec} to and from bytes.
     */
    static <W, M extends W, S> StateFormat<W> of(Class<M> type, StateMapper<M, S> mapper, StateCodec<M, S> codec) {
        return new StateFormat<>() {
            @Override
            public void write(DataOutput out, W model) throws IOException {
                codec.write(out, mapper.toState(type.cast(model)));
            }

            @Override
            public void read(DataInput in, W model) throws IOException {
                M target = type.cast(model);
                mapper.toModel(codec.read(in, target), target);
            }
        };
    }

    /**
     * A format that keeps no state, only a header: {@code tag} is written, and read back refuses a part with another
     * header (state of another model), but a model read this way is left as built. For models that do not say how
     * to checkpoint them: after a restore they start afresh, as a new key does.
     */
    static <M> StateFormat<M> stateless(String tag) {
        return new StateFormat<>() {
            @Override
            public void write(DataOutput out, M model) throws IOException {
                StateIo.writeHeader(out, tag);
            }

            @Override
            public void read(DataInput in, M model) throws IOException {
                StateIo.readHeader(in, tag);
            }
        };
    }
}
