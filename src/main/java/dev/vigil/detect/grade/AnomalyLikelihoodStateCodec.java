package dev.vigil.detect.grade;

import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Header; count and next slot of the recent scores, then all of them; count and next slot of the complete blocks,
 * then every block's sum and sum of squares; the open block's sum, sum of squares and count; the red flag.
 */
public final class AnomalyLikelihoodStateCodec implements StateCodec<AnomalyLikelihood, AnomalyLikelihoodState> {

    @Override
    public void write(DataOutput out, AnomalyLikelihoodState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeInt(s.recentCount());
        out.writeInt(s.recentNext());
        StateIo.writeDoubles(out, s.recent());
        out.writeInt(s.blocks());
        out.writeInt(s.blockNext());
        StateIo.writeDoubles(out, s.blockSum());
        StateIo.writeDoubles(out, s.blockSquares());
        out.writeDouble(s.sum());
        out.writeDouble(s.squares());
        out.writeInt(s.inBlock());
        out.writeBoolean(s.previousRed());
    }

    @Override
    public AnomalyLikelihoodState read(DataInput in, AnomalyLikelihood target) throws IOException {
        String header = StateIo.readHeader(in, AnomalyLikelihoodStateMapper.header());
        int window = AnomalyLikelihood.SHORT_WINDOW;
        int recentCount = StateIo.readCount(in, "likelihood: recent scores", 0, window);
        int recentNext = StateIo.readCount(in, "likelihood: next recent slot", 0, window - 1);
        double[] recent = StateIo.readDoubles(in, window);
        int blocks = StateIo.readCount(in, "likelihood: blocks", 0, AnomalyLikelihood.BLOCKS);
        int blockNext = StateIo.readCount(in, "likelihood: next block", 0, AnomalyLikelihood.BLOCKS - 1);
        double[] blockSum = StateIo.readDoubles(in, AnomalyLikelihood.BLOCKS);
        double[] blockSquares = StateIo.readDoubles(in, AnomalyLikelihood.BLOCKS);
        double sum = in.readDouble();
        double squares = in.readDouble();
        int inBlock = StateIo.readCount(in, "likelihood: averages in the open block", 0, AnomalyLikelihood.BLOCK - 1);
        boolean previousRed = in.readBoolean();
        return new AnomalyLikelihoodState(header, recentCount, recentNext, recent, blocks, blockNext, blockSum,
                blockSquares, sum, squares, inBlock, previousRed);
    }
}
