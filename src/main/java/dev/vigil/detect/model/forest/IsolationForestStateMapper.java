package dev.vigil.detect.model.forest;

import dev.vigil.detect.model.SlidingWindowStateMapper;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.StateMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An {@link IsolationForest} to its {@link IsolationForestState} and back, with the parts it is built of: its
 * window, the builder's slot permutation and the trees of its {@link IsolationNodeStore}, each with only the nodes
 * it uses.
 */
public final class IsolationForestStateMapper implements StateMapper<IsolationForest, IsolationForestState> {
    private final SlidingWindowStateMapper window = new SlidingWindowStateMapper();

    static String header(IsolationForest f) {
        return StateIo.header(IsolationForestState.TAG, f.dimensions(), f.settings);
    }

    @Override
    public IsolationForestState toState(IsolationForest f) {
        List<IsolationTreeState> trees = new ArrayList<>(f.builtTrees);
        for (int t = 0; t < f.builtTrees; t++) {
            trees.add(tree(f.nodes, t));
        }
        return new IsolationForestState(header(f), f.nextTree, f.sinceRebuild, f.rng.state(), window.toState(f.window),
                Arrays.copyOf(f.builder.pool, f.builder.poolSize), trees);
    }

    private static IsolationTreeState tree(IsolationNodeStore nodes, int t) {
        int root = nodes.root[t];
        int count = nodes.nodeCount[t];
        int[] feature = new int[count];
        double[] value = new double[count];
        int[] left = new int[count];
        for (int i = 0; i < count; i++) {
            int n = root + i;
            boolean leaf = nodes.isLeaf(n);
            feature[i] = leaf ? IsolationTreeState.LEAF : nodes.feature(n);
            value[i] = nodes.value(n);
            left[i] = leaf ? 0 : nodes.leftChild(n) - root;
        }
        int base = t * nodes.dimensions;
        int guards = nodes.guardCount[t];
        return new IsolationTreeState(nodes.height[t], feature, value, left,
                Arrays.copyOfRange(nodes.guardFeature, base, base + guards),
                Arrays.copyOfRange(nodes.guardValue, base, base + guards), nodes.isolatedValue[t],
                Arrays.copyOfRange(nodes.boxMin, base, base + nodes.dimensions),
                Arrays.copyOfRange(nodes.boxMax, base, base + nodes.dimensions));
    }

    @Override
    public void toModel(IsolationForestState s, IsolationForest f) throws CheckpointFormatException {
        StateIo.requireHeader(s.header(), header(f));
        f.builtTrees = s.trees().size();
        f.nextTree = s.nextTree();
        f.sinceRebuild = s.sinceRebuild();
        f.rng.restore(s.rng());
        window.toModel(s.window(), f.window);
        IsolationTreeBuilder builder = f.builder;
        if (builder.pool.length != f.window.slots()) {
            builder.pool = new int[f.window.slots()];
        }
        System.arraycopy(s.samplePool(), 0, builder.pool, 0, s.samplePool().length);
        builder.poolSize = s.samplePool().length;
        IsolationNodeStore nodes = f.nodes;
        nodes.clear();
        nodes.ensureTrees(f.builtTrees);
        for (int t = 0; t < f.builtTrees; t++) {
            toModel(s.trees().get(t), nodes, t);
        }
        f.restored();
    }

    private static void toModel(IsolationTreeState tree, IsolationNodeStore nodes, int t) {
        int count = tree.feature().length;
        int root = nodes.startTree(t, count);
        for (int i = 0; i < count; i++) {
            if (tree.feature()[i] == IsolationTreeState.LEAF) {
                nodes.setLeaf(root + i, tree.value()[i]);
            } else {
                nodes.setSplit(root + i, tree.feature()[i], tree.value()[i], root + tree.left()[i]);
            }
        }
        nodes.endTree(t, count, tree.height());
        int base = t * nodes.dimensions;
        nodes.guardCount[t] = tree.guardFeature().length;
        System.arraycopy(tree.guardFeature(), 0, nodes.guardFeature, base, tree.guardFeature().length);
        System.arraycopy(tree.guardValue(), 0, nodes.guardValue, base, tree.guardValue().length);
        nodes.isolatedValue[t] = tree.isolatedValue();
        System.arraycopy(tree.boxMin(), 0, nodes.boxMin, base, nodes.dimensions);
        System.arraycopy(tree.boxMax(), 0, nodes.boxMax, base, nodes.dimensions);
    }
}
