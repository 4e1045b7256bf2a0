package dev.vigil.detect.transform;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;
import java.util.Arrays;

/** An {@link IncrementalPca} to its {@link IncrementalPcaState} and back: the buffered and fitted parts only. */
public final class IncrementalPcaStateMapper implements StateMapper<IncrementalPca, IncrementalPcaState> {

    static String header(IncrementalPca t) {
        return StateIo.header(IncrementalPcaState.TAG, t.inputDimensions(),
                "batch_size=" + t.batchSize + ",n_components=" + t.components);
    }

    @Override
    public IncrementalPcaState toState(IncrementalPca t) {
        int d = t.inputDimensions();
        return new IncrementalPcaState(header(t), t.buffered, Arrays.copyOf(t.batch, t.buffered * d), t.seen,
                t.mean.clone(), Arrays.copyOf(t.basis, t.fittedComponents * d),
                Arrays.copyOf(t.singularValues, t.fittedComponents));
    }

    @Override
    public void toModel(IncrementalPcaState s, IncrementalPca t) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(t));
        System.arraycopy(s.batch(), 0, t.batch, 0, s.batch().length);
        t.buffered = s.buffered();
        t.seen = s.seen();
        System.arraycopy(s.mean(), 0, t.mean, 0, t.mean.length);
        System.arraycopy(s.basis(), 0, t.basis, 0, s.basis().length);
        System.arraycopy(s.singularValues(), 0, t.singularValues, 0, s.singularValues().length);
        t.fittedComponents = s.singularValues().length;
    }
}
