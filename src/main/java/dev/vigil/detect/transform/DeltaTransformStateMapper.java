package dev.vigil.detect.transform;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** A {@link DeltaTransform} to its {@link DeltaTransformState} and back. */
public final class DeltaTransformStateMapper implements StateMapper<DeltaTransform, DeltaTransformState> {

    static String header(DeltaTransform t) {
        return StateIo.header(DeltaTransformState.TAG, t.inputDimensions(), "counter=" + t.counter);
    }

    @Override
    public DeltaTransformState toState(DeltaTransform t) {
        return new DeltaTransformState(header(t), t.seen, t.seen ? t.previous.clone() : new double[0]);
    }

    @Override
    public void toModel(DeltaTransformState s, DeltaTransform t) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(t));
        t.seen = s.seen();
        System.arraycopy(s.previous(), 0, t.previous, 0, s.previous().length);
    }
}
