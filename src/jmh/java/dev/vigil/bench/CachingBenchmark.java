package dev.vigil.bench;

import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
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
                .append(" passes: the reference pipeline `scaler | pca | isolation_forest` (what a score cache saves on ")
                .append("a hit) and a cache lookup (hash of the vector, map lookup, paid on every point). Gain: ")
                .append("hit rate × pipeline − lookup, as a share of the pipeline's time.\n\n")
                .append("| data | rows | dims | hit rate | pipeline ns/pt | lookup ns/pt | gain |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        int helped = 0;
        for (LabelledData d : sets) {
            double hitRate = hitRate(d);
            double pipeline = pipelineNanos(d);
            double lookup = lookupNanos(d);
            // A score cache saves the whole pipeline on a hit and costs a lookup on every point.
            double gain = (hitRate * pipeline - lookup) / pipeline;
            if (gain > 0.05) {
                helped++;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f %% | %.0f | %.0f | %+.1f %% |%n", d.name(),
                    d.rows(), d.dimensions(), 100 * hitRate, pipeline, lookup, 100 * gain));
        }
        md.append(String.format(Locale.ROOT, "%nA score cache would save more than 5 %% of the time on %d of %d sets, ",
                helped, sets.size()))
                .append("those whose rows repeat exactly (discretised features); on continuous readings, what ")
                .append("streaming sensors send, inputs do not repeat and it only costs the lookup. And a cached ")
                .append("answer is a wrong answer here: the scaler, the PCA and the model learn from every point, so ")
                .append("the same input transforms and scores differently a moment later, a hit would return a stale ")
                .append("score and skip the learning, and the same seed and stream would no longer give the same ")
                .append("scores whenever the cache's contents differ. The same holds for a preprocessing cache. ")
                .append("**Not implemented.**\n");
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
