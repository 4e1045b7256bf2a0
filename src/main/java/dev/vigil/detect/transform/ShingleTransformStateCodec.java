package dev.vigil.detect.transform;

import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Header, the number of points kept, then those points, oldest first. */
public final class ShingleTransformStateCodec implements StateCodec<ShingleTransform, ShingleTransformState> {

    @Override
    public void write(DataOutput out, ShingleTransformState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeInt(s.kept());
        StateIo.writeDoubles(out, s.history());
    }

    @Override
    public ShingleTransformState read(DataInput in, ShingleTransform target) throws IOException {
        String header = StateIo.readHeader(in, ShingleTransformStateMapper.header(target));
        int kept = StateIo.readCount(in, "shingle points kept", 0, target.capacity);
        return new ShingleTransformState(header, kept, StateIo.readDoubles(in, kept * target.inputDimensions()));
    }
}
