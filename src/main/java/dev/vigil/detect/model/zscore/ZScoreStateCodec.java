package dev.vigil.detect.model.zscore;

import dev.vigil.detect.model.RelativeScoreStateCodec;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Header, count, mean and M2 per feature, then the typical |z|. */
public final class ZScoreStateCodec implements StateCodec<ZScoreDetector, ZScoreState> {
    private final RelativeScoreStateCodec relative = new RelativeScoreStateCodec();

    @Override
    public void write(DataOutput out, ZScoreState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeLong(s.count());
        StateIo.writeDoubles(out, s.mean());
        StateIo.writeDoubles(out, s.m2());
        relative.write(out, s.relative());
    }

    @Override
    public ZScoreState read(DataInput in, ZScoreDetector target) throws IOException {
        String header = StateIo.readHeader(in, ZScoreStateMapper.header(target));
        long count = in.readLong();
        if (count < 0) {
            throw new CheckpointFormatException("zscore count " + count + " is negative");
        }
        double[] mean = StateIo.readDoubles(in, target.dimensions());
        double[] m2 = StateIo.readDoubles(in, target.dimensions());
        return new ZScoreState(header, count, mean, m2, relative.read(in, target.relative));
    }
}
