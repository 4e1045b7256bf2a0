package dev.vigil.detect.model;

import dev.vigil.detect.Precision;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Size, next slot, then the values of the used slots at the window's precision. No header: it is part of a model's. */
public final class SlidingWindowStateCodec implements StateCodec<SlidingWindow, SlidingWindowState> {

    @Override
    public void write(DataOutput out, SlidingWindowState s) throws IOException {
        out.writeInt(s.size());
        out.writeInt(s.next());
        if (s.floats() != null) {
            StateIo.writeFloats(out, s.floats());
        } else {
            StateIo.writeDoubles(out, s.doubles());
        }
    }

    @Override
    public SlidingWindowState read(DataInput in, SlidingWindow target) throws IOException {
        int capacity = target.capacity();
        int n = StateIo.readCount(in, "window size", 0, capacity);
        int slot = StateIo.readCount(in, "window next slot", 0, capacity - 1);
        if (n < capacity && slot != n) {
            throw new CheckpointFormatException("window of " + n + " points cannot continue at slot " + slot);
        }
        int values = n * target.dimensions();
        return target.precision() == Precision.FLOAT32
                ? new SlidingWindowState(n, slot, StateIo.readFloats(in, values), null)
                : new SlidingWindowState(n, slot, null, StateIo.readDoubles(in, values));
    }
}
