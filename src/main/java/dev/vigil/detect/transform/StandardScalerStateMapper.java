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
        return new StandardScalerState(header(t), t.count, t.mean.clone(), t.m2.clone());
    }

    @Override
    public void toModel(StandardScalerState s, StandardScaler t) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(t));
        t.count = s.count();
        System.arraycopy(s.mean(), 0, t.mean, 0, t.mean.length);
        System.arraycopy(s.m2(), 0, t.m2, 0, t.m2.length);
    }
}
