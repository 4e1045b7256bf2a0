package dev.vigil.detect.transform;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Header, count, then mean and M2 per feature. */
public final class StandardScalerStateCodec implements StateCodec<StandardScaler, StandardScalerState> {

    @Override
    public void write(DataOutput out, StandardScalerState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeLong(s.count());
        StateIo.writeDoubles(out, s.mean());
        StateIo.writeDoubles(out, s.m2());
    }

    @Override
    public StandardScalerState read(DataInput in, StandardScaler target) throws IOException {
        String header = StateIo.readHeader(in, StandardScalerStateMapper.header(target));
        long count = in.readLong();
        if (count < 0) {
            throw new CheckpointFormatException("scaler count " + count + " is negative");
        }
        double[] mean = StateIo.readDoubles(in, target.inputDimensions());
        double[] m2 = StateIo.readDoubles(in, target.inputDimensions());
        return new StandardScalerState(header, count, mean, m2);
    }
}
