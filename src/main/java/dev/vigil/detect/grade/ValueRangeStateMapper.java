package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** A {@link ValueRange} to its {@link ValueRangeState} and back. */
public final class ValueRangeStateMapper implements StateMapper<ValueRange, ValueRangeState> {

    static String header(ValueRange r) {
        return StateIo.header(ValueRangeState.TAG, r.dimensions(), "tolerance=" + ValueRange.TOLERANCE);
    }

    @Override
    public ValueRangeState toState(ValueRange r) {
        return new ValueRangeState(header(r), r.seen, r.low.clone(), r.high.clone());
    }

    @Override
    public void toModel(ValueRangeState s, ValueRange r) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(r));
        r.seen = s.seen();
        System.arraycopy(s.low(), 0, r.low, 0, r.low.length);
        System.arraycopy(s.high(), 0, r.high, 0, r.high.length);
    }
}
