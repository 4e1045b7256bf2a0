package dev.vigil.detect.model.zscore;

import dev.vigil.detect.model.RelativeScoreStateMapper;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** A {@link ZScoreDetector} to its {@link ZScoreState} and back. */
public final class ZScoreStateMapper implements StateMapper<ZScoreDetector, ZScoreState> {
    private final RelativeScoreStateMapper relative = new RelativeScoreStateMapper();

    /** The header of {@code d}'s state: the z-score has no settings besides the dimension. */
    static String header(ZScoreDetector d) {
        return StateIo.header(ZScoreState.TAG, d.dimensions(), "");
    }

    @Override
    public ZScoreState toState(ZScoreDetector d) {
        return new ZScoreState(header(d), d.moments.count(), d.moments.means(), d.moments.m2s(),
                relative.toState(d.relative));
    }

    @Override
    public void toModel(ZScoreState s, ZScoreDetector d) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(d));
        d.moments.restore(s.count(), s.mean(), s.m2());
        relative.toModel(s.relative(), d.relative);
    }
}
