package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Header, points graded, the open event (id, point of its last anomaly, highest severity as its ordinal), then in
 * likelihood mode the likelihood's and the range's parts. Reading checks that the event lies within the points.
 */
public final class KeyGradingStateCodec implements StateCodec<KeyGrading, KeyGradingState> {
    private final AnomalyLikelihoodStateCodec likelihood = new AnomalyLikelihoodStateCodec();
    private final ValueRangeStateCodec range = new ValueRangeStateCodec();

    @Override
    public void write(DataOutput out, KeyGradingState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeLong(s.points());
        out.writeLong(s.event());
        out.writeLong(s.lastAnomaly());
        out.writeByte(s.eventPeak().ordinal());
        if (s.likelihood() != null) {
            likelihood.write(out, s.likelihood());
            range.write(out, s.range());
        }
    }

    @Override
    public KeyGradingState read(DataInput in, KeyGrading target) throws IOException {
        String header = StateIo.readHeader(in, KeyGradingStateMapper.header(target));
        long points = in.readLong();
        long event = in.readLong();
        long lastAnomaly = in.readLong();
        int peak = in.readByte();
        if (points < 0 || event < 0 || event > points || lastAnomaly < event || lastAnomaly > points || peak < 0
                || peak >= Severity.values().length) {
            throw new CheckpointFormatException("grading: counts do not fit (points " + points + ", event " + event
                    + ", last anomaly " + lastAnomaly + ", severity " + peak + ")");
        }
        AnomalyLikelihoodState l = null;
        ValueRangeState r = null;
        if (target.likelihood != null) {
            l = likelihood.read(in, target.likelihood);
            r = range.read(in, target.range);
        }
        return new KeyGradingState(header, points, event, lastAnomaly, Severity.values()[peak], l, r);
    }
}
