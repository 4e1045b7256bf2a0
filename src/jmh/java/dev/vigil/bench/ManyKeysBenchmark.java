package dev.vigil.bench;

import dev.vigil.detect.Detector;
import dev.vigil.detect.Precision;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testdata.GaussianStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Score + learn of a metric stream's many keys on one thread: {@value #KEYS} models of 1 feature (model defaults),
 * one point per key in turn, as the keys of a metric source arrive interleaved. Unlike {@link DetectorBenchmark},
 * which keeps one model hot in the cache, every point here touches a model the previous 999 points pushed out.
 *
 * <ul>
 * <li>{@link Young#young}: {@value #YOUNG_POINTS} points per key into fresh models, timed as one shot: the window
 * fills and trees are rebuilt often (one every {@code size / num_trees} points) while they grow.
 * <li>{@link Steady#steady}: after {@value #STEADY_POINTS} points per key (the default window of 2,048 is full),
 * points per second of score + learn, trees rebuilt every {@code window / num_trees} points.
 * </ul>
 *
 * <p>Run directly with JMH ({@code -Pbench} compiles it into the test classes): {@code java -cp ...
 * org.openjdk.jmh.Main ManyKeysBenchmark}. The young figure is seconds per point; its inverse is points per second.
 */
public class ManyKeysBenchmark {
    static final int KEYS = 1_000;
    static final int YOUNG_POINTS = 1_000;
    static final int STEADY_POINTS = 3_000;
    /** Distinct points per key; a key reads its own slice of the stream, wrapping. */
    private static final int STREAM = 4_096;

    /** Fresh models for every shot. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
    public static class Young {
        @Param({"isolation_forest"})
        public String model;

        private double[][][] streams;
        private Detector[] detectors;

        @Setup(Level.Trial)
        public void data() {
            streams = streams();
        }

        @Setup(Level.Invocation)
        public void freshModels() {
            detectors = detectors(model);
        }

        @Benchmark
        @OperationsPerInvocation(KEYS * YOUNG_POINTS)
        public double young() {
            return feed(detectors, streams, 0, YOUNG_POINTS);
        }
    }

    /** Models that have learned {@value #STEADY_POINTS} points each. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
    public static class Steady {
        @Param({"isolation_forest"})
        public String model;

        private double[][][] streams;
        private Detector[] detectors;
        private int key;
        private int point = STEADY_POINTS;

        @Setup(Level.Trial)
        public void learned() {
            streams = streams();
            detectors = detectors(model);
            feed(detectors, streams, 0, STEADY_POINTS);
        }

        @Benchmark
        public double steady() {
            double s = detectors[key].scoreLearn(streams[key][point % STREAM]);
            if (++key == KEYS) {
                key = 0;
                point++;
            }
            return s;
        }
    }

    private static double[][][] streams() {
        double[][][] streams = new double[KEYS][][];
        for (int k = 0; k < KEYS; k++) {
            streams[k] = new GaussianStream(1, 4, k + 1).next(STREAM);
        }
        return streams;
    }

    private static Detector[] detectors(String model) {
        Detector[] detectors = new Detector[KEYS];
        for (int k = 0; k < KEYS; k++) {
            detectors[k] = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), model, Map.of(), List.of(), Map.of(),
                    Precision.DEFAULT).newPipeline(1).model();
        }
        return detectors;
    }

    /** Points {@code [from, to)} of every key's stream, one point per key in turn; returns the sum of the scores. */
    private static double feed(Detector[] detectors, double[][][] streams, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            for (int k = 0; k < KEYS; k++) {
                sum += detectors[k].scoreLearn(streams[k][i % STREAM]);
            }
        }
        return sum;
    }
}
