package dev.vigil.bench;

import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testdata.GaussianStream;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.Stream;

/**
 * What explanations cost: points per second of a pipeline's score + learn (each model with its recommended
 * preprocessing and defaults, 8 features) without explanations (<i>plain</i>), with the gate of the default
 * configuration (<i>gated</i>: explain scores of {@code medium}, 0.6, and above) and explaining every point, on a
 * stream where 1 % of the points have one feature shifted by 8 standard deviations.
 *
 * <p>Not JMH: the three variants are timed interleaved, segment by segment, in one JVM, on three pipelines in the
 * same state (explaining does not change it), in CPU time of the thread, and each figure is the median segment.
 * Measured one after the other in separate forks and in wall-clock time, as JMH does, differences of a few per
 * cent drowned in the load of the shared machine (the same pipeline measured 45 % apart in two forks). Run alone
 * with
 * {@code mvn -B -Pbench verify -Dbench.args=explain}.
 */
final class ExplainBenchmark {
    private static final int DIMENSIONS = 8;
    private static final int POINTS = 1 << 16;
    private static final int WARM_UP = 4096;
    private static final int SEGMENT = 256;
    private static final int ROUNDS = 151;
    /** Rounds run before timing: the JIT compiles all three paths. */
    private static final int UNTIMED_ROUNDS = 30;
    private static final double GATE = Thresholds.DEFAULT.medium();
    private static final String[] MODES = {"plain", "gated", "every point"};

    private ExplainBenchmark() {
    }

    static String run() {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify -Dbench.args=explain` on ")
                .append(BenchmarkReport.Machine.describe()).append(". One thread; a pipeline per model with its ")
                .append("recommended preprocessing and defaults, 8-feature Gaussian clusters (`GaussianStream`) with ")
                .append("1 % of the points shifted by 8 sigma in one feature, after ").append(WARM_UP).append(" points. ")
                .append("*plain*: `scoreLearn(x)`; *gated*: `scoreLearn(x, score >= 0.6, shares)`, what the default ")
                .append("`vigil.explain.min-severity=medium` does; *every point*: explains every score. The three run ")
                .append("interleaved in segments of ").append(SEGMENT).append(" points on pipelines in the same state; ")
                .append("each rate is points per CPU-second of the thread, the median of ").append(ROUNDS)
                .append(" segments (CPU time, because the machine is shared). One explanation costs ")
                .append("1 / every-point rate − 1 / plain rate; bytes from the thread's allocation counter, less what the counters allocate.\n\n")
                .append("| model | plain points/s | gated points/s | gated vs plain | explained by the gate | ")
                .append("every point points/s | one explanation | bytes / point: plain, gated, every |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ModelType type : ModelType.values()) {
            Measured m = measure(type);
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %+.1f %% | %.2f %% | %,.0f | %,.1f µs | %.0f, %.0f, %.0f |%n",
                    label(type), m.rates[0], m.rates[1], 100 * (m.rates[1] / m.rates[0] - 1), 100 * m.gatedShare,
                    m.rates[2], 1e6 * (1 / m.rates[2] - 1 / m.rates[0]), Math.max(0, m.bytes[0]), Math.max(0, m.bytes[1]),
                    Math.max(0, m.bytes[2])));
            System.out.printf(Locale.ROOT, "explain: %s done%n", type.configName());
        }
        return md.toString();
    }

    private record Measured(double[] rates, double[] bytes, double gatedShare) {
    }

    private static Measured measure(ModelType type) {
        double[][] points = stream();
        Pipeline[] pipelines = new Pipeline[MODES.length];
        for (int m = 0; m < MODES.length; m++) {
            pipelines[m] = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(), Map.of(),
                    type.recommendedPreprocessing(), Map.of()).newPipeline(DIMENSIONS);
            for (int i = 0; i < WARM_UP; i++) {
                pipelines[m].scoreLearn(points[i]);
            }
        }
        DoublePredicate[] explainIf = {null, score -> score >= GATE, score -> true};
        double[] attribution = new double[DIMENSIONS];
        double[][] rates = new double[MODES.length][ROUNDS];
        double[] bytes = new double[MODES.length];
        long counters = countersAllocate();
        long explained = 0;
        long timedPoints = 0;
        int next = WARM_UP;
        for (int round = -UNTIMED_ROUNDS; round < ROUNDS; round++) {
            for (int k = 0; k < MODES.length; k++) {
                int m = (round + UNTIMED_ROUNDS + k) % MODES.length;  // rotate which variant goes first
                long allocated = allocatedBytes();
                long start = cpuNanos();
                double sink = 0;
                int atGate = 0;
                int at = next;
                for (int i = 0; i < SEGMENT; i++) {
                    double[] x = points[at];
                    at = (at + 1) & (POINTS - 1);
                    double score = m == 0 ? pipelines[m].scoreLearn(x) : pipelines[m].scoreLearn(x, explainIf[m], attribution);
                    sink += score;
                    atGate += score >= GATE ? 1 : 0;
                }
                long nanos = cpuNanos() - start;
                long bytesUsed = allocatedBytes() - allocated - counters;
                if (round >= 0) {
                    rates[m][round] = SEGMENT * 1e9 / nanos;
                    bytes[m] += (double) bytesUsed / ((long) SEGMENT * ROUNDS);
                    explained += m == 1 ? atGate : 0;
                }
                if (Double.isNaN(sink)) {
                    throw new IllegalStateException("NaN score");
                }
            }
            timedPoints += round >= 0 ? SEGMENT : 0;
            next = (next + SEGMENT) & (POINTS - 1);
        }
        double[] medians = new double[MODES.length];
        for (int m = 0; m < MODES.length; m++) {
            Arrays.sort(rates[m]);
            medians[m] = rates[m][ROUNDS / 2];
        }
        return new Measured(medians, bytes, (double) explained / timedPoints);
    }

    /** Gaussian clusters; every 100th point has one feature, in turn, shifted by 8 (the clusters' sigma is 1). */
    private static double[][] stream() {
        GaussianStream stream = new GaussianStream(DIMENSIONS, 4, 1);
        double[][] points = stream.next(POINTS);
        for (int i = 50; i < POINTS; i += 100) {
            points[i][(i / 100) % DIMENSIONS] += (i / 100) % 2 == 0 ? 8 : -8;
        }
        return points;
    }

    /** Bytes the two counters allocate themselves around a segment (the least of a few tries). */
    private static long countersAllocate() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 100; i++) {
            long allocated = allocatedBytes();
            long start = cpuNanos();
            long nanos = cpuNanos() - start;
            least = Math.min(least, allocatedBytes() - allocated + (nanos < 0 ? 1 : 0));
        }
        return least;
    }

    /** CPU time of this thread: unlike the wall clock, it does not count the time other processes held the cores. */
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static String label(ModelType type) {
        return String.join(" \\| ", Stream.concat(type.recommendedPreprocessing().stream(), Stream.of(type.configName()))
                .toList());
    }
}
