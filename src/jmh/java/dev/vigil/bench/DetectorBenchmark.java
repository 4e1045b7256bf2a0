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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Points per second of every model on 8-feature data, single thread, model defaults (isolation_forest: 100
 * trees; random_cut_forest: 50 trees, sample size 256), with the window already full.
 *
 * <p>Run with {@code mvn -B -Pbench verify} (every benchmark, written to BENCHMARKS.md), or only the speed part:
 * {@code mvn -B -Pbench verify -Dbench.args=speed}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DetectorBenchmark {
    static final int DIMENSIONS = 8;
    private static final int POINTS = 1 << 16;

    @Param({"isolation_forest", "knn", "adaptive_svm", "zscore", "random_cut_forest"})
    public String model;

    /** Extra model parameters, "name=value;name=value", for sweeps from the command line. */
    @Param({""})
    public String params;

    /** {@code vigil.memory.precision}; empty for the default. */
    @Param({""})
    public String precision;

    private double[][] points;
    private Detector detector;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        points = new GaussianStream(DIMENSIONS, 4, 1).next(POINTS);
        Precision p = precision.isEmpty() ? Precision.DEFAULT : Precision.byName("precision", precision);
        detector = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), model, parse(params), List.of(), Map.of(), p)
                .newPipeline(DIMENSIONS).model();
        for (int i = 0; i < 4096; i++) {
            detector.scoreLearn(points[i]);
        }
    }

    private static Map<String, String> parse(String params) {
        Map<String, String> map = new java.util.HashMap<>();
        for (String pair : params.split(";")) {
            if (!pair.isBlank()) {
                String[] kv = pair.split("=", 2);
                map.put(kv[0].trim(), kv[1].trim());
            }
        }
        return map;
    }

    private double[] nextPoint() {
        double[] x = points[next];
        next = (next + 1) & (POINTS - 1);
        return x;
    }

    @Benchmark
    public double scoreLearn() {
        return detector.scoreLearn(nextPoint());
    }

    @Benchmark
    public double scoreOnly() {
        return detector.score(nextPoint());
    }
}
