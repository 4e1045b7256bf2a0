package dev.vigil.detect.model.knn;

import dev.vigil.detect.model.RelativeScoreStateMapper;
import dev.vigil.detect.model.SlidingWindowStateMapper;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** A {@link KnnDetector} to its {@link KnnState} and back. */
public final class KnnStateMapper implements StateMapper<KnnDetector, KnnState> {
    private final SlidingWindowStateMapper window = new SlidingWindowStateMapper();
    private final RelativeScoreStateMapper relative = new RelativeScoreStateMapper();

    static String header(KnnDetector d) {
        return StateIo.header(KnnState.TAG, d.dimensions(), d.settings);
    }

    @Override
    public KnnState toState(KnnDetector d) {
        return new KnnState(header(d), window.toState(d.window), relative.toState(d.relative));
    }

    @Override
    public void toModel(KnnState s, KnnDetector d) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(d));
        window.toModel(s.window(), d.window);
        relative.toModel(s.relative(), d.relative);
    }
}
