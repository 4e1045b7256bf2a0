package dev.vigil.detect.state;

/**
 * Turns a model (a detector, a transform, a grader or one of their parts) into its State, plain immutable data,
 * and puts a State back into a model. No bytes here: a {@link StateCodec} writes and reads States. A mapper lives
 * beside its model, since it reads the model's internals, so the model itself holds no checkpoint code.
 *
 * @param <M> the model
 * @param <S> its state
 */
public interface StateMapper<M, S> {

    /** What {@code model} holds now that a later score depends on, sharing nothing mutable with it. */
    S toState(M model);

    /**
     * Replaces the state of {@code model}, which was built from a configuration and dimension, with {@code state}.
     * A state whose header names another model, configuration or dimension is refused with
     * {@link CheckpointFormatException} naming what differs, before anything changes. The state comes from
     * {@link #toState} or from its codec, which checked every count and index it read.
     */
    void toModel(S state, M model) throws CheckpointFormatException;
}
