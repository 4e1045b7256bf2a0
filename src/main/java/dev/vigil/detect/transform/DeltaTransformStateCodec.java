package dev.vigil.detect.transform;

import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Header, whether a point was seen, then that point if one was. */
public final class DeltaTransformStateCodec implements StateCodec<DeltaTransform, DeltaTransformState> {

    @Override
    public void write(DataOutput out, DeltaTransformState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeBoolean(s.seen());
        StateIo.writeDoubles(out, s.previous());
    }

    @Override
    public DeltaTransformState read(DataInput in, DeltaTransform target) throws IOException {
        String header = StateIo.readHeader(in, DeltaTransformStateMapper.header(target));
        boolean seen = in.readBoolean();
        return new DeltaTransformState(header, seen, StateIo.readDoubles(in, seen ? target.inputDimensions() : 0));
    }
}
