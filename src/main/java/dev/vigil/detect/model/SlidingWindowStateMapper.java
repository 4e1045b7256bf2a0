package dev.vigil.detect.model;

import dev.vigil.detect.state.StateMapper;
import java.util.Arrays;

/** A {@link SlidingWindow} to its {@link SlidingWindowState} and back: the used slots only. */
public final class SlidingWindowStateMapper implements StateMapper<SlidingWindow, SlidingWindowState> {

    @Override
    public SlidingWindowState toState(SlidingWindow w) {
        int values = w.size * w.dimensions();
        return new SlidingWindowState(w.size, w.next, w.floats == null ? null : Arrays.copyOf(w.floats, values),
                w.doubles == null ? null : Arrays.copyOf(w.doubles, values));
    }

    /** The window gets the slots a window of that many points has, so a restored one grows as the original would. */
    @Override
    public void toModel(SlidingWindowState s, SlidingWindow w) {
        if (w.slots != w.slotsFor(s.size())) {
            w.allocate(w.slotsFor(s.size()));
        }
        if (w.floats != null) {
            System.arraycopy(s.floats(), 0, w.floats, 0, s.floats().length);
        } else {
            System.arraycopy(s.doubles(), 0, w.doubles, 0, s.doubles().length);
        }
        w.size = s.size();
        w.next = s.next();
    }
}
