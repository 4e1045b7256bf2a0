package dev.vigil.detect.model.svm;

import dev.vigil.detect.model.SlidingWindowState;
import dev.vigil.detect.model.SlidingWindowStateCodec;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Header, random generator, points learned, next training, the window, the support vector count, the support
 * vectors, their multipliers, rho and the squared kernel width.
 */
public final class AdaptiveOneClassSvmStateCodec implements StateCodec<AdaptiveOneClassSvm, AdaptiveOneClassSvmState> {
    private final SlidingWindowStateCodec window = new SlidingWindowStateCodec();

    @Override
    public void write(DataOutput out, AdaptiveOneClassSvmState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeLong(s.rng());
        out.writeLong(s.learned());
        out.writeLong(s.nextTraining());
        window.write(out, s.window());
        out.writeInt(s.supportAlpha().length);
        StateIo.writeDoubles(out, s.supportVectors());
        StateIo.writeDoubles(out, s.supportAlpha());
        out.writeDouble(s.rho());
        out.writeDouble(s.sigma2());
    }

    @Override
    public AdaptiveOneClassSvmState read(DataInput in, AdaptiveOneClassSvm target) throws IOException {
        String header = StateIo.readHeader(in, AdaptiveOneClassSvmStateMapper.header(target));
        long rng = in.readLong();
        long learned = in.readLong();
        long nextTraining = in.readLong();
        if (learned < 0 || nextTraining <= learned) {
            throw new CheckpointFormatException("next training at " + nextTraining + " after " + learned + " points");
        }
        SlidingWindowState w = window.read(in, target.window);
        int supportCount = StateIo.readCount(in, "support vectors", 0, target.svBudget);
        double[] supportVectors = StateIo.readDoubles(in, supportCount * target.dimensions());
        double[] supportAlpha = StateIo.readDoubles(in, supportCount);
        double rho = in.readDouble();
        double sigma2 = in.readDouble();
        return new AdaptiveOneClassSvmState(header, rng, learned, nextTraining, w, supportVectors, supportAlpha, rho,
                sigma2);
    }
}
