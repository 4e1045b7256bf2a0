package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** {@link ScoreRanks} to its {@link ScoreRanksState} and back: the counts per bin, the search tree rebuilt from them. */
public final class ScoreRanksStateMapper implements StateMapper<ScoreRanks, ScoreRanksState> {

    static String header(ScoreRanks r) {
        return StateIo.header(ScoreRanksState.TAG, 1, "bins=" + ScoreRanks.BINS + ",window=" + r.window);
    }

    @Override
    public ScoreRanksState toState(ScoreRanks r) {
        int[] previous = new int[ScoreRanks.BINS];
        for (int b = 0; b < ScoreRanks.BINS; b++) {
            previous[b] = (int) (r.prefix(b + 1) - r.prefix(b) - r.current[b]);
        }
        return new ScoreRanksState(header(r), r.currentSize, previous, r.current.clone());
    }

    @Override
    public void toModel(ScoreRanksState s, ScoreRanks r) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(r));
        int[] both = new int[ScoreRanks.BINS];
        long previousSize = 0;
        for (int b = 0; b < ScoreRanks.BINS; b++) {
            both[b] = s.previous()[b] + s.current()[b];
            previousSize += s.previous()[b];
        }
        System.arraycopy(s.current(), 0, r.current, 0, ScoreRanks.BINS);
        r.currentSize = s.currentSize();
        r.total = previousSize + s.currentSize();
        r.rebuild(both);
    }
}
