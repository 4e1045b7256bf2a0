package dev.vigil.detect.model;

import dev.vigil.detect.state.StateMapper;

/** A {@link RelativeScore} to its {@link RelativeScoreState} and back. */
public final class RelativeScoreStateMapper implements StateMapper<RelativeScore, RelativeScoreState> {

    @Override
    public RelativeScoreState toState(RelativeScore r) {
        return new RelativeScoreState(r.count, r.typical);
    }

    @Override
    public void toModel(RelativeScoreState s, RelativeScore r) {
        r.count = s.count();
        r.typical = s.typical();
    }
}
