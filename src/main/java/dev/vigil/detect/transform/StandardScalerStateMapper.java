package dev.vigil.detect.transform;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** A {@link StandardScaler} to its {@link StandardScalerState} and back. */
public final class StandardScalerStateMapper implements StateMapper<StandardScaler, StandardScalerState> {

    static String header(StandardScaler t) {
        return StateIo.header(StandardScalerState.TAG, t.inputDimensions(), "");
    }

    @Override
    public StandardScalerState toState(StandardScaler t) {
        return new StandardScalerState(header(t), t.moments.count(), t.moments.means(), t.moments.m2s());
    }

    @Override
    public void toModel(StandardScalerState s, StandardScaler t) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(t));
        t.moments.restore(s.count(), s.mean(), s.m2());
    }
}
