package dev.vigil.detect.model.forest;

import dev.vigil.detect.model.SlidingWindowState;
import dev.vigil.detect.model.SlidingWindowStateCodec;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Header, built trees, next tree, points since the last rebuild, random generator, the window, the sample pool
 * (size, then slots), then each built tree: node count, height, its nodes (a leaf as -1 and its value, an inner
 * node as feature, split and left child relative to the root), guard count, guard features, guard values, the
 * isolated path length and the sample box. Reading checks every index, so a walk can never leave its tree.
 */
public final class IsolationForestStateCodec implements StateCodec<IsolationForest, IsolationForestState> {
    private final SlidingWindowStateCodec window = new SlidingWindowStateCodec();

    @Override
    public void write(DataOutput out, IsolationForestState s) throws IOException {
        StateIo.writeHeader(out, s.header());
        out.writeInt(s.trees().size());
        out.writeInt(s.nextTree());
        out.writeInt(s.sinceRebuild());
        out.writeLong(s.rng());
        window.write(out, s.window());
        out.writeInt(s.samplePool().length);
        StateIo.writeInts(out, s.samplePool());
        for (IsolationTreeState tree : s.trees()) {
            write(out, tree);
        }
    }

    private static void write(DataOutput out, IsolationTreeState tree) throws IOException {
        out.writeInt(tree.feature().length);
        out.writeInt(tree.height());
        for (int i = 0; i < tree.feature().length; i++) {
            out.writeInt(tree.feature()[i]);
            out.writeDouble(tree.value()[i]);
            if (tree.feature()[i] != IsolationTreeState.LEAF) {
                out.writeInt(tree.left()[i]);
            }
        }
        out.writeInt(tree.guardFeature().length);
        StateIo.writeInts(out, tree.guardFeature());
        StateIo.writeDoubles(out, tree.guardValue());
        out.writeDouble(tree.isolatedValue());
        StateIo.writeDoubles(out, tree.boxMin());
        StateIo.writeDoubles(out, tree.boxMax());
    }

    @Override
    public IsolationForestState read(DataInput in, IsolationForest target) throws IOException {
        String header = StateIo.readHeader(in, IsolationForestStateMapper.header(target));
        int builtTrees = StateIo.readCount(in, "built trees", 0, target.numTrees);
        int nextTree = StateIo.readCount(in, "next tree", 0, target.numTrees - 1);
        if (builtTrees < target.numTrees && nextTree != builtTrees) {
            throw new CheckpointFormatException("next tree " + nextTree + " with only " + builtTrees + " built");
        }
        int sinceRebuild = StateIo.readCount(in, "points since the last rebuild", 0, Integer.MAX_VALUE);
        long rng = in.readLong();
        SlidingWindowState w = window.read(in, target.window);
        int[] pool = readPool(in, w.size());
        List<IsolationTreeState> trees = new ArrayList<>(builtTrees);
        for (int t = 0; t < builtTrees; t++) {
            trees.add(readTree(in, t, target.nodes.maxNodesPerTree, target.dimensions()));
        }
        return new IsolationForestState(header, nextTree, sinceRebuild, rng, w, pool, trees);
    }

    /** A permutation of window slots: each one a slot of the {@code windowSize} points the window holds. */
    private static int[] readPool(DataInput in, int windowSize) throws IOException {
        int n = StateIo.readCount(in, "sample pool size", 0, windowSize);
        int[] pool = StateIo.readInts(in, n);
        for (int slot : pool) {
            if (slot < 0 || slot >= n) {
                throw new CheckpointFormatException("sample pool slot " + slot + " is outside [0, " + n + ")");
            }
        }
        return pool;
    }

    private static IsolationTreeState readTree(DataInput in, int t, int maxNodes, int dimensions) throws IOException {
        int count = StateIo.readCount(in, "tree " + t + " node count", 1, maxNodes);
        int height = StateIo.readCount(in, "tree " + t + " height", 0, count);
        int[] feature = new int[count];
        double[] value = new double[count];
        int[] left = new int[count];
        for (int i = 0; i < count; i++) {
            int f = in.readInt();
            if (f != IsolationTreeState.LEAF && (f < 0 || f >= dimensions)) {
                throw new CheckpointFormatException("tree " + t + " splits feature " + f + " of " + dimensions);
            }
            feature[i] = f;
            value[i] = in.readDouble();
            if (f != IsolationTreeState.LEAF) {
                left[i] = StateIo.readCount(in, "tree " + t + " child", i + 1, count - 2);
            }
        }
        int guards = StateIo.readCount(in, "tree " + t + " guard count", 0, dimensions);
        int[] guardFeature = StateIo.readInts(in, guards);
        for (int g : guardFeature) {
            if (g < 0 || g >= dimensions) {
                throw new CheckpointFormatException("tree " + t + " guards feature " + g);
            }
        }
        double[] guardValue = StateIo.readDoubles(in, guards);
        double isolatedValue = in.readDouble();
        double[] boxMin = StateIo.readDoubles(in, dimensions);
        double[] boxMax = StateIo.readDoubles(in, dimensions);
        return new IsolationTreeState(height, feature, value, left, guardFeature, guardValue, isolatedValue, boxMin,
                boxMax);
    }
}
