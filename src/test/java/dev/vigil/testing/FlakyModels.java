package dev.vigil.testing;

import static org.awaitility.Awaitility.await;

import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorFactory;
import dev.vigil.detect.ModelProvider;
import dev.vigil.detect.Params;
import dev.vigil.detect.model.zscore.ZScoreDetector;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.state.StateFormat;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;

/**
 * Test doubles selected by configuration like any model ({@code vigil.model.type=test_flaky},
 * {@code vigil.fallback.model=test_flaky_fallback}) for tests whose subject is not detection (the breaker, the
 * sinks, checkpoints, metrics): a z-score that fails or stalls when the test says so (on a fixed schedule, never at
 * random). With {@code vigil.model.params.score_by_first_feature=true} the primary, and the fallback always, score a
 * point by its first feature, clamped to [0, 1], so the test chooses every result's severity and so its sink; they
 * still learn and checkpoint their z-score.
 */
public final class FlakyModels {
    public enum Mode {
        OK, FAIL, SLOW
    }

    /** How the primary behaves. */
    public static volatile Mode primary = Mode.OK;
    /** Whether the fallback fails too. */
    public static volatile boolean fallbackFails;

    private FlakyModels() {
    }

    public static void reset() {
        primary = Mode.OK;
        fallbackFails = false;
    }

    /**
     * The models working again and the circuit breaker closed, as the application started: scores low points of a
     * key of its own until the status says the breaker is closed. A test that makes the models fail calls it when
     * it ends, so the tests after it in the profile find the breaker closed.
     */
    public static void recover() {
        reset();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if ("closed".equals(TestApiKeys.api().when().get("/api/v1/status").then().statusCode(200).extract()
                    .path("breaker"))) {
                return true;
            }
            TestApiKeys.api().contentType("application/json").body("{\"key\":\"breaker-recovery\",\"score\":0.1}")
                    .when().post("/api/v1/score").then().statusCode(200);
            return false;
        });
    }

    /** {@code test_flaky}. */
    public static final class Primary implements ModelProvider {
        @Override
        public String configName() {
            return "test_flaky";
        }

        @Override
        public DetectorFactory configure(Params params) {
            boolean[] byFirstFeature = {false};
            params.ignored("seed").booleanValue("score_by_first_feature", v -> byFirstFeature[0] = v)
                    .finish(configName(), () -> { });
            return DetectorFactory.of(byFirstFeature[0] ? "score_by_first_feature=true" : "", dimensions -> new Flaky(dimensions,
                    byFirstFeature[0], () -> {
                        switch (primary) {
                            case FAIL -> throw new IllegalStateException("injected failure");
                            case SLOW -> sleep(3000);
                            default -> { }
                        }
                    }));
        }

        @Override
        public StateFormat<Detector> stateFormat() {
            return Flaky.STATE_FORMAT;
        }

        /** None: a test picks each result's severity from its first point on. */
        @Override
        public int warmup() {
            return 0;
        }
    }

    /** {@code test_flaky_fallback}. */
    public static final class Fallback implements ModelProvider {
        @Override
        public String configName() {
            return "test_flaky_fallback";
        }

        @Override
        public DetectorFactory configure(Params params) {
            params.finish(configName(), () -> { });
            return DetectorFactory.of("", dimensions -> new Flaky(dimensions, true, () -> {
                if (fallbackFails) {
                    throw new IllegalStateException("injected fallback failure");
                }
            }));
        }

        @Override
        public StateFormat<Detector> stateFormat() {
            return Flaky.STATE_FORMAT;
        }
    }

    /** Stalls like a stuck computation: interrupts do not end it early. */
    private static void sleep(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        boolean interrupted = false;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Flaky implements Detector {
        /** A provider's own model checkpointed through the hook: as the z-score inside it. */
        static final StateFormat<Detector> STATE_FORMAT = new StateFormat<>() {
            private final StateFormat<Detector> zscore = ModelType.ZSCORE.stateFormat();

            @Override
            public void write(DataOutput out, Detector d) throws IOException {
                zscore.write(out, ((Flaky) d).inner);
            }

            @Override
            public void read(DataInput in, Detector d) throws IOException {
                zscore.read(in, ((Flaky) d).inner);
            }
        };

        private final ZScoreDetector inner;
        private final boolean byFirstFeature;
        private final Runnable behaviour;

        Flaky(int dimensions, boolean byFirstFeature, Runnable behaviour) {
            this.inner = new ZScoreDetector(dimensions);
            this.byFirstFeature = byFirstFeature;
            this.behaviour = behaviour;
        }

        @Override
        public double score(double[] x) {
            behaviour.run();
            return byFirstFeature ? Math.max(0, Math.min(1, x[0])) : inner.score(x);
        }

        @Override
        public void learn(double[] x) {
            inner.learn(x);
        }

        @Override
        public int dimensions() {
            return inner.dimensions();
        }

        @Override
        public long sizeInBytes() {
            return inner.sizeInBytes();
        }
    }
}
