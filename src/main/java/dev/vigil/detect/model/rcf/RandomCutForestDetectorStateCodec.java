package dev.vigil.detect.model.rcf;

import com.amazon.randomcutforest.state.RandomCutForestState;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Header, then RCF's state deflated ({@link RandomCutForestStateCodec}, field by field), as its length and bytes:
 * every tree repeats the same few hundred bytes of settings, which would dominate a young forest.
 */
public final class RandomCutForestDetectorStateCodec
        implements StateCodec<RandomCutForestDetector, RandomCutForestDetectorState> {

    @Override
    public void write(DataOutput out, RandomCutForestDetectorState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (DataOutputStream deflated = new DataOutputStream(new DeflaterOutputStream(packed))) {
            RandomCutForestStateCodec.write(deflated, s.forest());
        }
        out.writeInt(packed.size());
        out.write(packed.toByteArray());
    }

    @Override
    public RandomCutForestDetectorState read(DataInput in, RandomCutForestDetector target) throws IOException {
        String header = StateIo.readHeader(in, RandomCutForestDetectorStateMapper.header(target));
        int maxLength = maxStateLength(target);
        byte[] packed = new byte[StateIo.readCount(in, "random cut forest state bytes", 0, maxLength)];
        in.readFully(packed);
        RandomCutForestState forest;
        try (DataInputStream inflated = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(packed)))) {
            forest = new RandomCutForestStateCodec(maxLength).read(inflated);
        }
        return new RandomCutForestDetectorState(header, forest);
    }

    /** A generous bound on any array, and on the whole state, of a forest of this configuration. */
    private static int maxStateLength(RandomCutForestDetector d) {
        long points = (long) d.numTrees * d.sampleSize + 1;
        return (int) Math.min(Integer.MAX_VALUE - 8, 64 * points * (d.dimensions() + 2) + 65536);
    }
}
