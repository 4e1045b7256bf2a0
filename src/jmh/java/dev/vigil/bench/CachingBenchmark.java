package dev.vigil.bench;

import dev.vigil.detect.Pipeline;
import dev.vigil.detect.PipelineSpec;
import dev.vigil.eval.LabelledData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Does the reference SmartCache (memoising preprocessing, and scores, by a hash of the input) pay off in Vigil?
 * Two things decide it: how often an input repeats within the cache's reach (the reference keeps 1,000), and
 * what a lookup costs against what it saves. Both are measured here on the labelled data sets, with the
 * reference pipeline {@code scaler | pca | isolation_forest}.
 */
final class CachingBenchmark {
    private static final int CACHE_SIZE = 1000;
    private static final int REPEATS = 5;

    private CachingBenchmark() {
    }

    static String run() throws IOException {
        if (!Files.isDirectory(BenchmarkReport.DATA)) {
            return "Not measured: the labelled data sets are absent.\n";
        }
        List<LabelledData> sets = new ArrayList<>();
        try (Stream<Path> files = Files.list(BenchmarkReport.DATA)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv.gz")).sorted().toList()) {
                sets.add(LabelledData.read(f).shuffled(1));
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify -Dbench.args=caching` on ")
                .append(BenchmarkReport.Machine.describe()).append(". Hit rate: share of rows whose exact feature ")
                .append("vector occurred among the previous ").append(CACHE_SIZE).append(" rows (an LRU cache of the ")
                .append("reference's size would have it). Costs per point, one thread, best of ").append(REPEATS)
                .append(" passes: the transforms of `scaler | pca` (what a preprocessing cache saves), the whole ")
                .append("pipeline (what a score cache saves), and a cache lookup (hash of the vector, map lookup).\n\n")
                .append("| data | rows | dims | hit rate | transforms ns/pt | pipeline ns/pt | lookup ns/pt |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        double bestGain = Double.NEGATIVE_INFINITY;
        String bestSet = "";
        for (LabelledData d : sets) {
            double hitRate = hitRate(d);
            double transforms = transformNanos(d);
            double pipeline = pipelineNanos(d);
            double lookup = lookupNanos(d);
            // A score cache saves the whole pipeline on a hit and costs a lookup on every point.
            double gain = (hitRate * pipeline - lookup) / pipeline;
            if (gain > bestGain) {
                bestGain = gain;
                bestSet = d.name();
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f %% | %.0f | %.0f | %.0f |%n", d.name(),
                    d.rows(), d.dimensions(), 100 * hitRate, transforms, pipeline, lookup));
        }
        md.append(String.format(Locale.ROOT, "%nBest case for a score cache: %s, %+.1f %% of the pipeline's time. ",
                bestSet, 100 * bestGain));
        md.append("Beyond speed, a cached answer is a wrong answer here: the scaler, the PCA and the model learn from ")
                .append("every point, so the same input transforms and scores differently a moment later, and a ")
                .append("cache hit would skip the learning. **Not implemented**: no measured gain, and it would ")
                .append("change results.\n");
        return md.toString();
    }

    private static PipelineSpec reference() {
        return PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "isolation_forest", Map.of("seed", "1"),
                List.of("scaler", "pca"), Map.of());
    }

    static double hitRate(LabelledData d) {
        Map<Key, Boolean> recent = new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > CACHE_SIZE;
            }
        };
        int hits = 0;
        for (int i = 0; i < d.rows(); i++) {
            if (recent.put(new Key(d.point(i)), Boolean.TRUE) != null) {
                hits++;
            }
        }
        return (double) hits / d.rows();
    }

    private static double transformNanos(LabelledData d) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS; r++) {
            PipelineSpec transformsOnly = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "zscore", Map.of(),
                    List.of("scaler", "pca"), Map.of());
            Pipeline p = transformsOnly.newPipeline(d.dimensions());
            Pipeline zscoreOnly = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "zscore", Map.of(),
                    List.of(), Map.of()).newPipeline(Math.min(10, d.dimensions()));
            long start = System.nanoTime();
            double sink = 0;
            for (int i = 0; i < d.rows(); i++) {
                sink += p.scoreLearn(d.point(i));
            }
            long withModel = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < d.rows(); i++) {
                double[] x = Arrays.copyOf(d.point(i), Math.min(10, d.dimensions()));
                sink += zscoreOnly.scoreLearn(x);
            }
            long modelAlone = System.nanoTime() - start;
            best = Math.min(best, Math.max(0, withModel - modelAlone) / (double) d.rows() + (sink == 42 ? 1 : 0));
        }
        return best;
    }

    private static double pipelineNanos(LabelledData d) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS; r++) {
            Pipeline p = reference().newPipeline(d.dimensions());
            long start = System.nanoTime();
            double sink = 0;
            for (int i = 0; i < d.rows(); i++) {
                sink += p.scoreLearn(d.point(i));
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) d.rows() + (sink == 42 ? 1 : 0));
        }
        return best;
    }

    private static double lookupNanos(LabelledData d) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS; r++) {
            Map<Key, Double> cache = new HashMap<>();
            long start = System.nanoTime();
            double sink = 0;
            for (int i = 0; i < d.rows(); i++) {
                Key k = new Key(d.point(i));
                Double hit = cache.get(k);
                if (hit == null && cache.size() < CACHE_SIZE) {
                    cache.put(k, (double) i);
                }
                sink += hit == null ? 0 : hit;
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) d.rows() + (sink == 42 ? 1 : 0));
        }
        return best;
    }

    /** An input vector as a map key: the reference hashes the input; Vigil would hash the doubles. */
    private record Key(double[] values, int hash) {
        Key(double[] values) {
            this(values, Arrays.hashCode(values));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.values, values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
