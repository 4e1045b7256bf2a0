package dev.vigil.detect.model.rcf;

import com.amazon.randomcutforest.state.ExecutionContext;
import com.amazon.randomcutforest.state.RandomCutForestState;
import com.amazon.randomcutforest.state.sampler.CompactSamplerState;
import com.amazon.randomcutforest.state.store.NodeStoreState;
import com.amazon.randomcutforest.state.store.PointStoreState;
import com.amazon.randomcutforest.state.tree.CompactRandomCutTreeState;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads the state objects of randomcutforest-core 4.3 ({@link RandomCutForestState} and the point
 * store, sampler, tree and node store states it holds) field by field with DataOutput: RCF's own states are
 * plain getter/setter classes meant for Java serialization or JSON, neither of which Vigil uses. Every field
 * RCF 4.3 declares is written, in declaration order; arrays and strings may be null (length -1, flag false).
 * Array lengths read are bounded by {@code maxLength}, so a damaged checkpoint cannot ask for a huge allocation.
 */
final class RandomCutForestStateCodec {
    private final int maxLength;

    /** @param maxLength the longest array a forest of the reader's configuration can hold */
    RandomCutForestStateCodec(int maxLength) {
        this.maxLength = maxLength;
    }

    static void write(DataOutput out, RandomCutForestState s) throws IOException {
        writeString(out, s.getVersion());
        out.writeLong(s.getTotalUpdates());
        out.writeDouble(s.getTimeDecay());
        out.writeInt(s.getNumberOfTrees());
        out.writeInt(s.getSampleSize());
        out.writeInt(s.getShingleSize());
        out.writeInt(s.getDimensions());
        out.writeInt(s.getOutputAfter());
        out.writeBoolean(s.isCompressed());
        out.writeBoolean(s.isPartialTreeState());
        out.writeDouble(s.getBoundingBoxCacheFraction());
        out.writeBoolean(s.isStoreSequenceIndexesEnabled());
        out.writeBoolean(s.isCompact());
        out.writeBoolean(s.isInternalShinglingEnabled());
        out.writeBoolean(s.isCenterOfMassEnabled());
        writeString(out, s.getPrecision());
        out.writeBoolean(s.getPointStoreState() != null);
        if (s.getPointStoreState() != null) {
            writePointStore(out, s.getPointStoreState());
        }
        writeCount(out, s.getCompactSamplerStates());
        if (s.getCompactSamplerStates() != null) {
            for (CompactSamplerState sampler : s.getCompactSamplerStates()) {
                writeSampler(out, sampler);
            }
        }
        writeCount(out, s.getCompactRandomCutTreeStates());
        if (s.getCompactRandomCutTreeStates() != null) {
            for (CompactRandomCutTreeState tree : s.getCompactRandomCutTreeStates()) {
                writeTree(out, tree);
            }
        }
        ExecutionContext context = s.getExecutionContext();
        out.writeBoolean(context != null);
        if (context != null) {
            out.writeBoolean(context.isParallelExecutionEnabled());
            out.writeInt(context.getThreadPoolSize());
            writeString(out, context.getMode());
        }
        out.writeBoolean(s.isSaveTreeStateEnabled());
        out.writeBoolean(s.isSaveSamplerStateEnabled());
        out.writeBoolean(s.isSaveCoordinatorStateEnabled());
        out.writeBoolean(s.isCurrentlySampling());
    }

    RandomCutForestState read(DataInput in) throws IOException {
        RandomCutForestState s = new RandomCutForestState();
        s.setVersion(readString(in));
        s.setTotalUpdates(in.readLong());
        s.setTimeDecay(in.readDouble());
        s.setNumberOfTrees(in.readInt());
        s.setSampleSize(in.readInt());
        s.setShingleSize(in.readInt());
        s.setDimensions(in.readInt());
        s.setOutputAfter(in.readInt());
        s.setCompressed(in.readBoolean());
        s.setPartialTreeState(in.readBoolean());
        s.setBoundingBoxCacheFraction(in.readDouble());
        s.setStoreSequenceIndexesEnabled(in.readBoolean());
        s.setCompact(in.readBoolean());
        s.setInternalShinglingEnabled(in.readBoolean());
        s.setCenterOfMassEnabled(in.readBoolean());
        s.setPrecision(readString(in));
        if (in.readBoolean()) {
            s.setPointStoreState(readPointStore(in));
        }
        int samplers = readLength(in);
        if (samplers >= 0) {
            List<CompactSamplerState> list = new ArrayList<>(samplers);
            for (int i = 0; i < samplers; i++) {
                list.add(readSampler(in));
            }
            s.setCompactSamplerStates(list);
        }
        int trees = readLength(in);
        if (trees >= 0) {
            List<CompactRandomCutTreeState> list = new ArrayList<>(trees);
            for (int i = 0; i < trees; i++) {
                list.add(readTree(in));
            }
            s.setCompactRandomCutTreeStates(list);
        }
        if (in.readBoolean()) {
            ExecutionContext context = new ExecutionContext();
            context.setParallelExecutionEnabled(in.readBoolean());
            context.setThreadPoolSize(in.readInt());
            context.setMode(readString(in));
            s.setExecutionContext(context);
        }
        s.setSaveTreeStateEnabled(in.readBoolean());
        s.setSaveSamplerStateEnabled(in.readBoolean());
        s.setSaveCoordinatorStateEnabled(in.readBoolean());
        s.setCurrentlySampling(in.readBoolean());
        return s;
    }

    private static void writePointStore(DataOutput out, PointStoreState p) throws IOException {
        writeString(out, p.getVersion());
        out.writeInt(p.getDimensions());
        out.writeInt(p.getCapacity());
        out.writeInt(p.getShingleSize());
        writeString(out, p.getPrecision());
        out.writeInt(p.getStartOfFreeSegment());
        writeBytes(out, p.getPointData());
        out.writeBoolean(p.isCompressed());
        writeInts(out, p.getRefCount());
        out.writeBoolean(p.isDirectLocationMap());
        writeInts(out, p.getLocationList());
        writeInts(out, p.getReverseLocationList());
        out.writeBoolean(p.isReverseAvailable());
        out.writeBoolean(p.isInternalShinglingEnabled());
        writeDoubles(out, p.getInternalShingle());
        out.writeLong(p.getLastTimeStamp());
        out.writeBoolean(p.isRotationEnabled());
        out.writeBoolean(p.isDynamicResizingEnabled());
        out.writeInt(p.getCurrentStoreCapacity());
        out.writeInt(p.getIndexCapacity());
        writeInts(out, p.getDuplicateRefs());
    }

    private PointStoreState readPointStore(DataInput in) throws IOException {
        PointStoreState p = new PointStoreState();
        p.setVersion(readString(in));
        p.setDimensions(in.readInt());
        p.setCapacity(in.readInt());
        p.setShingleSize(in.readInt());
        p.setPrecision(readString(in));
        p.setStartOfFreeSegment(in.readInt());
        p.setPointData(readBytes(in));
        p.setCompressed(in.readBoolean());
        p.setRefCount(readInts(in));
        p.setDirectLocationMap(in.readBoolean());
        p.setLocationList(readInts(in));
        p.setReverseLocationList(readInts(in));
        p.setReverseAvailable(in.readBoolean());
        p.setInternalShinglingEnabled(in.readBoolean());
        p.setInternalShingle(readDoubles(in));
        p.setLastTimeStamp(in.readLong());
        p.setRotationEnabled(in.readBoolean());
        p.setDynamicResizingEnabled(in.readBoolean());
        p.setCurrentStoreCapacity(in.readInt());
        p.setIndexCapacity(in.readInt());
        p.setDuplicateRefs(readInts(in));
        return p;
    }

    private static void writeSampler(DataOutput out, CompactSamplerState c) throws IOException {
        writeString(out, c.getVersion());
        writeFloats(out, c.getWeight());
        writeInts(out, c.getPointIndex());
        out.writeBoolean(c.isStoreSequenceIndicesEnabled());
        writeLongs(out, c.getSequenceIndex());
        out.writeInt(c.getSize());
        out.writeInt(c.getCapacity());
        out.writeDouble(c.getInitialAcceptFraction());
        out.writeDouble(c.getTimeDecay());
        out.writeLong(c.getSequenceIndexOfMostRecentTimeDecayUpdate());
        out.writeLong(c.getMaxSequenceIndex());
        out.writeBoolean(c.isCompressed());
        out.writeLong(c.getRandomSeed());
    }

    private CompactSamplerState readSampler(DataInput in) throws IOException {
        CompactSamplerState c = new CompactSamplerState();
        c.setVersion(readString(in));
        c.setWeight(readFloats(in));
        c.setPointIndex(readInts(in));
        c.setStoreSequenceIndicesEnabled(in.readBoolean());
        c.setSequenceIndex(readLongs(in));
        c.setSize(in.readInt());
        c.setCapacity(in.readInt());
        c.setInitialAcceptFraction(in.readDouble());
        c.setTimeDecay(in.readDouble());
        c.setSequenceIndexOfMostRecentTimeDecayUpdate(in.readLong());
        c.setMaxSequenceIndex(in.readLong());
        c.setCompressed(in.readBoolean());
        c.setRandomSeed(in.readLong());
        return c;
    }

    private static void writeTree(DataOutput out, CompactRandomCutTreeState t) throws IOException {
        writeString(out, t.getVersion());
        out.writeInt(t.getRoot());
        out.writeInt(t.getMaxSize());
        out.writeInt(t.getOutputAfter());
        out.writeBoolean(t.isStoreSequenceIndexesEnabled());
        out.writeBoolean(t.isCenterOfMassEnabled());
        out.writeBoolean(t.getNodeStoreState() != null);
        if (t.getNodeStoreState() != null) {
            writeNodeStore(out, t.getNodeStoreState());
        }
        out.writeDouble(t.getBoundingBoxCacheFraction());
        out.writeBoolean(t.isPartialTreeState());
        out.writeLong(t.getSeed());
        out.writeInt(t.getId());
        out.writeInt(t.getDimensions());
        out.writeLong(t.getStaticSeed());
        out.writeFloat(t.getWeight());
        writeBytes(out, t.getAuxiliaryData());
        out.writeBoolean(t.isHasAuxiliaryData());
    }

    private CompactRandomCutTreeState readTree(DataInput in) throws IOException {
        CompactRandomCutTreeState t = new CompactRandomCutTreeState();
        t.setVersion(readString(in));
        t.setRoot(in.readInt());
        t.setMaxSize(in.readInt());
        t.setOutputAfter(in.readInt());
        t.setStoreSequenceIndexesEnabled(in.readBoolean());
        t.setCenterOfMassEnabled(in.readBoolean());
        if (in.readBoolean()) {
            t.setNodeStoreState(readNodeStore(in));
        }
        t.setBoundingBoxCacheFraction(in.readDouble());
        t.setPartialTreeState(in.readBoolean());
        t.setSeed(in.readLong());
        t.setId(in.readInt());
        t.setDimensions(in.readInt());
        t.setStaticSeed(in.readLong());
        t.setWeight(in.readFloat());
        t.setAuxiliaryData(readBytes(in));
        t.setHasAuxiliaryData(in.readBoolean());
        return t;
    }

    private static void writeNodeStore(DataOutput out, NodeStoreState n) throws IOException {
        writeString(out, n.getVersion());
        out.writeInt(n.getCapacity());
        out.writeBoolean(n.isCompressed());
        writeInts(out, n.getCutDimension());
        writeBytes(out, n.getCutValueData());
        writeString(out, n.getPrecision());
        out.writeInt(n.getRoot());
        out.writeBoolean(n.isCanonicalAndNotALeaf());
        out.writeInt(n.getSize());
        writeInts(out, n.getLeftIndex());
        writeInts(out, n.getRightIndex());
        writeInts(out, n.getNodeFreeIndexes());
        out.writeInt(n.getNodeFreeIndexPointer());
        writeInts(out, n.getLeafFreeIndexes());
        out.writeInt(n.getLeafFreeIndexPointer());
        out.writeBoolean(n.isPartialTreeStateEnabled());
        writeInts(out, n.getLeafMass());
        writeInts(out, n.getLeafPointIndex());
    }

    private NodeStoreState readNodeStore(DataInput in) throws IOException {
        NodeStoreState n = new NodeStoreState();
        n.setVersion(readString(in));
        n.setCapacity(in.readInt());
        n.setCompressed(in.readBoolean());
        n.setCutDimension(readInts(in));
        n.setCutValueData(readBytes(in));
        n.setPrecision(readString(in));
        n.setRoot(in.readInt());
        n.setCanonicalAndNotALeaf(in.readBoolean());
        n.setSize(in.readInt());
        n.setLeftIndex(readInts(in));
        n.setRightIndex(readInts(in));
        n.setNodeFreeIndexes(readInts(in));
        n.setNodeFreeIndexPointer(in.readInt());
        n.setLeafFreeIndexes(readInts(in));
        n.setLeafFreeIndexPointer(in.readInt());
        n.setPartialTreeStateEnabled(in.readBoolean());
        n.setLeafMass(readInts(in));
        n.setLeafPointIndex(readInts(in));
        return n;
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeCount(DataOutput out, List<?> list) throws IOException {
        out.writeInt(list == null ? -1 : list.size());
    }

    /** -1 for null, else a length the reader's configuration can hold. */
    private int readLength(DataInput in) throws IOException {
        return StateIo.readCount(in, "random cut forest array length", -1, maxLength);
    }

    private static void writeBytes(DataOutput out, byte[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            out.write(a);
        }
    }

    private byte[] readBytes(DataInput in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        byte[] a = new byte[n];
        in.readFully(a);
        return a;
    }

    private static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            StateIo.writeInts(out, a);
        }
    }

    private int[] readInts(DataInput in) throws IOException {
        int n = readLength(in);
        return n < 0 ? null : StateIo.readInts(in, n);
    }

    private static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            StateIo.writeFloats(out, a);
        }
    }

    private float[] readFloats(DataInput in) throws IOException {
        int n = readLength(in);
        return n < 0 ? null : StateIo.readFloats(in, n);
    }

    private static void writeDoubles(DataOutput out, double[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            StateIo.writeDoubles(out, a);
        }
    }

    private double[] readDoubles(DataInput in) throws IOException {
        int n = readLength(in);
        return n < 0 ? null : StateIo.readDoubles(in, n);
    }

    private static void writeLongs(DataOutput out, long[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            for (long v : a) {
                out.writeLong(v);
            }
        }
    }

    private long[] readLongs(DataInput in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readLong();
        }
        return a;
    }
}
