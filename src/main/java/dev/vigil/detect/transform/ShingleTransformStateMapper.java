package dev.vigil.detect.transform;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;

/**
 * A {@link ShingleTransform} to its {@link ShingleTransformState} and back. The state lists the points oldest first
 * rather than as the ring holds them, so a restored ring starts at slot 0 and a state does not depend on where the
 * ring happened to be.
 */
public final class ShingleTransformStateMapper implements StateMapper<ShingleTransform, ShingleTransformState> {

    static String header(ShingleTransform t) {
        return StateIo.header(ShingleTransformState.TAG, t.inputDimensions(), "size=" + t.size);
    }

    @Override
    public ShingleTransformState toState(ShingleTransform t) {
        int d = t.inputDimensions();
        double[] history = new double[t.filled * d];
        for (int back = t.filled, i = 0; back >= 1; back--, i++) {
            System.arraycopy(t.history, Math.floorMod(t.next - back, t.capacity) * d, history, i * d, d);
        }
        return new ShingleTransformState(header(t), t.filled, history);
    }

    @Override
    public void toModel(ShingleTransformState s, ShingleTransform t) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(t));
        System.arraycopy(s.history(), 0, t.history, 0, s.history().length);
        t.filled = s.kept();
        t.next = t.capacity == 0 ? 0 : s.kept() % t.capacity;
    }
}
