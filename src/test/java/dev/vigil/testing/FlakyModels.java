package dev.vigil.testing;

import static org.awaitility.Awaitility.await;

import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorFactory;
import dev.vigil.detect.ModelProvider;
import dev.vigil.detect.Params;
import dev.vigil.detect.model.zscore.ZScoreDetector;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;

/**
 * Test doubles selected by configuration like any model ({@code vigil.model.type=test_flaky},
 * {@code vigil.fallback.model=test_flaky_fallback}) for tests whose subject is not detection (the breaker, the
 * sinks, checkpoints, metrics): each scores a point by its first feature, clamped to [0, 1], so the test chooses
 * every result's severity (and so its sink), and fails or stalls when the test says so. The switches are set by the
 * test, on a fixed schedule, never at random. They learn and checkpoint a z-score, so their state is real.
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
            params.ignored("seed").finish(configName(), () -> { });
            return DetectorFactory.of("", dimensions -> new Flaky(dimensions, () -> {
                switch (primary) {
                    case FAIL -> throw new IllegalStateException("injected failure");
                    case SLOW -> sleep(3000);
                    default -> { }
                }
            }));
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
            return DetectorFactory.of("", dimensions -> new Flaky(dimensions, () -> {
                if (fallbackFails) {
                    throw new IllegalStateException("injected fallback failure");
                }
            }));
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
        private final ZScoreDetector inner;
        private final Runnable behaviour;

        Flaky(int dimensions, Runnable behaviour) {
            this.inner = new ZScoreDetector(dimensions);
            this.behaviour = behaviour;
        }

        @Override
        public double score(double[] x) {
            behaviour.run();
            return Math.max(0, Math.min(1, x[0]));
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

        @Override
        public void writeState(DataOutput out) throws IOException {
            inner.writeState(out);
        }

        @Override
        public void readState(DataInput in) throws IOException {
            inner.readState(in);
        }
    }
}
