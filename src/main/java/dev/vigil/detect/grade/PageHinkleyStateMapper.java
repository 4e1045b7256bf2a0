package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** A {@link PageHinkley} test to its {@link PageHinkleyState} and back. */
public final class PageHinkleyStateMapper implements StateMapper<PageHinkley, PageHinkleyState> {

    static String header(PageHinkley p) {
        return StateIo.header(PageHinkleyState.TAG, 1,
                "delta=" + p.delta + ",min_points=" + p.minPoints + ",threshold=" + p.threshold);
    }

    @Override
    public PageHinkleyState toState(PageHinkley p) {
        return new PageHinkleyState(header(p), p.count, p.mean, p.sum, p.minimum, p.firedStatistic);
    }

    @Override
    public void toModel(PageHinkleyState s, PageHinkley p) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(p));
        p.count = s.count();
        p.mean = s.mean();
        p.sum = s.sum();
        p.minimum = s.minimum();
        p.firedStatistic = s.firedStatistic();
    }
}
