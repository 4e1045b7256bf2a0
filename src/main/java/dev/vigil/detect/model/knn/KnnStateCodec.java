package dev.vigil.detect.model.knn;

import dev.vigil.detect.model.RelativeScoreStateCodec;
import dev.vigil.detect.model.SlidingWindowState;
import dev.vigil.detect.model.SlidingWindowStateCodec;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Header, the window, then the typical distance. */
public final class KnnStateCodec implements StateCodec<KnnDetector, KnnState> {
    private final SlidingWindowStateCodec window = new SlidingWindowStateCodec();
    private final RelativeScoreStateCodec relative = new RelativeScoreStateCodec();

    @Override
    public void write(DataOutput out, KnnState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        window.write(out, s.window());
        relative.write(out, s.relative());
    }

    @Override
    public KnnState read(DataInput in, KnnDetector target) throws IOException {
        String header = StateIo.readHeader(in, KnnStateMapper.header(target));
        SlidingWindowState w = window.read(in, target.window);
        return new KnnState(header, w, relative.read(in, target.relative));
    }
}
