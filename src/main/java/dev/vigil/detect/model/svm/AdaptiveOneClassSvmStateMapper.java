package dev.vigil.detect.model.svm;

import dev.vigil.detect.model.SlidingWindowStateMapper;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;
import java.util.Arrays;

/** An {@link AdaptiveOneClassSvm} to its {@link AdaptiveOneClassSvmState} and back. */
public final class AdaptiveOneClassSvmStateMapper implements StateMapper<AdaptiveOneClassSvm, AdaptiveOneClassSvmState> {
    private final SlidingWindowStateMapper window = new SlidingWindowStateMapper();

    static String header(AdaptiveOneClassSvm m) {
        return StateIo.header(AdaptiveOneClassSvmState.TAG, m.dimensions(), m.settings);
    }

    @Override
    public AdaptiveOneClassSvmState toState(AdaptiveOneClassSvm m) {
        return new AdaptiveOneClassSvmState(header(m), m.rng.state(), m.learned, m.nextTraining,
                window.toState(m.window), Arrays.copyOf(m.supportVectors, m.supportCount * m.dimensions()),
                Arrays.copyOf(m.supportAlpha, m.supportCount), m.rho, m.sigma2);
    }

    @Override
    public void toModel(AdaptiveOneClassSvmState s, AdaptiveOneClassSvm m) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(m));
        m.rng.restore(s.rng());
        m.learned = s.learned();
        m.nextTraining = s.nextTraining();
        window.toModel(s.window(), m.window);
        m.supportCount = s.supportAlpha().length;
        m.ensureSupport(m.supportCount);
        System.arraycopy(s.supportVectors(), 0, m.supportVectors, 0, s.supportVectors().length);
        System.arraycopy(s.supportAlpha(), 0, m.supportAlpha, 0, s.supportAlpha().length);
        m.rho = s.rho();
        m.sigma2 = s.sigma2();
    }
}
