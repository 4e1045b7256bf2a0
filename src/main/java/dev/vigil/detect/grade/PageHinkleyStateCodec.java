package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Header, count, mean, sum, its minimum, then the last fired statistic. */
public final class PageHinkleyStateCodec implements StateCodec<PageHinkley, PageHinkleyState> {

    @Override
    public void write(DataOutput out, PageHinkleyState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeLong(s.count());
        out.writeDouble(s.mean());
        out.writeDouble(s.sum());
        out.writeDouble(s.minimum());
        out.writeDouble(s.firedStatistic());
    }

    @Override
    public PageHinkleyState read(DataInput in, PageHinkley target) throws IOException {
        String header = StateIo.readHeader(in, PageHinkleyStateMapper.header(target));
        long count = in.readLong();
        if (count < 0) {
            throw new CheckpointFormatException("page_hinkley count " + count + " is negative");
        }
        double mean = in.readDouble();
        double sum = in.readDouble();
        double minimum = in.readDouble();
        double firedStatistic = in.readDouble();
        return new PageHinkleyState(header, count, mean, sum, minimum, firedStatistic);
    }
}
