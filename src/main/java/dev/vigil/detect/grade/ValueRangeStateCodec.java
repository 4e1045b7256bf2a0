package dev.vigil.detect.grade;

import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Header, whether a point was seen, then the lowest and the highest value of each feature. */
public final class ValueRangeStateCodec implements StateCodec<ValueRange, ValueRangeState> {

    @Override
    public void write(DataOutput out, ValueRangeState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeBoolean(s.seen());
        StateIo.writeDoubles(out, s.low());
        StateIo.writeDoubles(out, s.high());
    }

    @Override
    public ValueRangeState read(DataInput in, ValueRange target) throws IOException {
        String header = StateIo.readHeader(in, ValueRangeStateMapper.header(target));
        boolean seen = in.readBoolean();
        double[] low = StateIo.readDoubles(in, target.dimensions());
        double[] high = StateIo.readDoubles(in, target.dimensions());
        return new ValueRangeState(header, seen, low, high);
    }
}
