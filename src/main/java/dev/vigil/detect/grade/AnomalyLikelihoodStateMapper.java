package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/** An {@link AnomalyLikelihood} to its {@link AnomalyLikelihoodState} and back; the distribution is refitted. */
public final class AnomalyLikelihoodStateMapper implements StateMapper<AnomalyLikelihood, AnomalyLikelihoodState> {

    static String header() {
        return StateIo.header(AnomalyLikelihoodState.TAG, 1, "block=" + AnomalyLikelihood.BLOCK + ",blocks="
                + AnomalyLikelihood.BLOCKS + ",short_window=" + AnomalyLikelihood.SHORT_WINDOW);
    }

    @Override
    public AnomalyLikelihoodState toState(AnomalyLikelihood l) {
        return new AnomalyLikelihoodState(header(), l.recentCount, l.recentNext, l.recent.clone(), l.blocks,
                l.blockNext, l.blockSum.clone(), l.blockSquares.clone(), l.sum, l.squares, l.inBlock,
                l.previousRed);
    }

    @Override
    public void toModel(AnomalyLikelihoodState s, AnomalyLikelihood l) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header());
        l.recentCount = s.recentCount();
        l.recentNext = s.recentNext();
        System.arraycopy(s.recent(), 0, l.recent, 0, l.recent.length);
        l.blocks = s.blocks();
        l.blockNext = s.blockNext();
        System.arraycopy(s.blockSum(), 0, l.blockSum, 0, l.blockSum.length);
        System.arraycopy(s.blockSquares(), 0, l.blockSquares, 0, l.blockSquares.length);
        l.sum = s.sum();
        l.squares = s.squares();
        l.inBlock = s.inBlock();
        l.previousRed = s.previousRed();
        l.fit();
    }
}
