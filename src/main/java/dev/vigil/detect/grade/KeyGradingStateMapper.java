package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** A {@link KeyGrading} (without its ranks) to its {@link KeyGradingState} and back. */
public final class KeyGradingStateMapper implements StateMapper<KeyGrading, KeyGradingState> {
    private final AnomalyLikelihoodStateMapper likelihood = new AnomalyLikelihoodStateMapper();
    private final ValueRangeStateMapper range = new ValueRangeStateMapper();

    static String header(KeyGrading g) {
        return StateIo.header(KeyGradingState.TAG, g.dimensions, "mode=" + g.mode().configName());
    }

    @Override
    public KeyGradingState toState(KeyGrading g) {
        return new KeyGradingState(header(g), g.points, g.event, g.lastAnomaly, g.eventPeak,
                g.likelihood == null ? null : likelihood.toState(g.likelihood),
                g.range == null ? null : range.toState(g.range));
    }

    @Override
    public void toModel(KeyGradingState s, KeyGrading g) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(g));
        // The parts first: they check their own headers before anything of the key changes.
        if (g.likelihood != null) {
            StateIo.requireHeader(s.likelihood().header(), AnomalyLikelihoodStateMapper.header());
            StateIo.requireHeader(s.range().header(), ValueRangeStateMapper.header(g.range));
            likelihood.toModel(s.likelihood(), g.likelihood);
            range.toModel(s.range(), g.range);
        }
        g.points = s.points();
        g.event = s.event();
        g.lastAnomaly = s.lastAnomaly();
        g.eventPeak = s.eventPeak();
    }
}
