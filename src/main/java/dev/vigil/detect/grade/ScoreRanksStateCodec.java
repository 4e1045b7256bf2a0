package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Header, the size of the current generation, then per bin the previous and the current generation's count.
 * Reading checks that the counts add up to the generations' sizes, within the reader's window.
 */
public final class ScoreRanksStateCodec implements StateCodec<ScoreRanks, ScoreRanksState> {

    @Override
    public void write(DataOutput out, ScoreRanksState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeInt(s.currentSize());
        for (int b = 0; b < s.current().length; b++) {
            out.writeInt(s.previous()[b]);
            out.writeInt(s.current()[b]);
        }
    }

    @Override
    public ScoreRanksState read(DataInput in, ScoreRanks target) throws IOException {
        String header = StateIo.readHeader(in, ScoreRanksStateMapper.header(target));
        int size = in.readInt();
        if (size < 0 || size > target.window) {
            throw new CheckpointFormatException("ranks: current generation of " + size + " scores, window "
                    + target.window);
        }
        int[] previous = new int[ScoreRanks.BINS];
        int[] current = new int[ScoreRanks.BINS];
        long previousSize = 0;
        long currentSum = 0;
        for (int b = 0; b < ScoreRanks.BINS; b++) {
            previous[b] = in.readInt();
            current[b] = in.readInt();
            if (previous[b] < 0 || current[b] < 0) {
                throw new CheckpointFormatException("ranks: negative count in bin " + b);
            }
            previousSize += previous[b];
            currentSum += current[b];
        }
        if (currentSum != size || previousSize > target.window) {
            throw new CheckpointFormatException("ranks: counts do not add up to the generation sizes");
        }
        return new ScoreRanksState(header, size, previous, current);
    }
}
