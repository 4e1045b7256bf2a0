package dev.vigil.detect.transform;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Header, buffered point count, the buffered points, points fitted, the mean, fitted component count, the
 * components, then their singular values.
 */
public final class IncrementalPcaStateCodec implements StateCodec<IncrementalPca, IncrementalPcaState> {

    @Override
    public void write(DataOutput out, IncrementalPcaState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeInt(s.buffered());
        StateIo.writeDoubles(out, s.batch());
        out.writeLong(s.seen());
        StateIo.writeDoubles(out, s.mean());
        out.writeInt(s.singularValues().length);
        StateIo.writeDoubles(out, s.basis());
        StateIo.writeDoubles(out, s.singularValues());
    }

    @Override
    public IncrementalPcaState read(DataInput in, IncrementalPca target) throws IOException {
        String header = StateIo.readHeader(in, IncrementalPcaStateMapper.header(target));
        int d = target.inputDimensions();
        int buffered = StateIo.readCount(in, "pca buffered points", 0, target.batchSize - 1);
        double[] batch = StateIo.readDoubles(in, buffered * d);
        long seen = in.readLong();
        if (seen < 0) {
            throw new CheckpointFormatException("pca fitted point count " + seen + " is negative");
        }
        double[] mean = StateIo.readDoubles(in, d);
        int fitted = StateIo.readCount(in, "pca fitted components", 0, target.components);
        double[] basis = StateIo.readDoubles(in, fitted * d);
        double[] singularValues = StateIo.readDoubles(in, fitted);
        return new IncrementalPcaState(header, buffered, batch, seen, mean, basis, singularValues);
    }
}
