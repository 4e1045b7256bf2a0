package dev.vigil.detect.model;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Count, then the typical raw score. No header: it is part of a model's. */
public final class RelativeScoreStateCodec implements StateCodec<RelativeScore, RelativeScoreState> {

    @Override
    public void write(DataOutput out, RelativeScoreState s) throws IOException {
        out.writeLong(s.count());
        out.writeDouble(s.typical());
    }

    @Override
    public RelativeScoreState read(DataInput in, RelativeScore target) throws IOException {
        long n = in.readLong();
        double t = in.readDouble();
        if (n < 0 || !(t >= 0) || Double.isInfinite(t)) {
            throw new CheckpointFormatException("typical score " + t + " after " + n + " points is impossible");
        }
        return new RelativeScoreState(n, t);
    }
}
