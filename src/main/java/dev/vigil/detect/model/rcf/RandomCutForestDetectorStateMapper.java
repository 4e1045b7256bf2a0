package dev.vigil.detect.model.rcf;

import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/**
 * A {@link RandomCutForestDetector} to its {@link RandomCutForestDetectorState} and back, through RCF's own
 * {@link RandomCutForestMapper} with tree state and execution context saved: RCF's trees keep their random seeds
 * there, so a restored forest scores exactly as one that never stopped.
 */
public final class RandomCutForestDetectorStateMapper
        implements StateMapper<RandomCutForestDetector, RandomCutForestDetectorState> {

    static String header(RandomCutForestDetector d) {
        return StateIo.header(RandomCutForestDetectorState.TAG, d.dimensions(), d.settings);
    }

    @Override
    public RandomCutForestDetectorState toState(RandomCutForestDetector d) {
        return new RandomCutForestDetectorState(header(d), forestMapper().toState(d.forest));
    }

    @Override
    public void toModel(RandomCutForestDetectorState s, RandomCutForestDetector d) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(d));
        RandomCutForestState state = s.forest();
        if (state.getDimensions() != d.dimensions() || state.getNumberOfTrees() != d.numTrees
                || state.getSampleSize() != d.sampleSize) {
            throw new CheckpointFormatException("random cut forest state of " + state.getDimensions()
                    + " dimensions, " + state.getNumberOfTrees() + " trees, sample size " + state.getSampleSize()
                    + " under a header of " + d.dimensions() + ", " + d.numTrees + ", " + d.sampleSize);
        }
        try {
            d.forest = forestMapper().toModel(state);
        } catch (RuntimeException e) {
            throw new CheckpointFormatException("random cut forest state is inconsistent: " + e.getMessage(), e);
        }
    }

    private static RandomCutForestMapper forestMapper() {
        RandomCutForestMapper mapper = new RandomCutForestMapper();
        mapper.setSaveTreeStateEnabled(true);
        mapper.setSaveExecutorContextEnabled(true);
        return mapper;
    }
}
