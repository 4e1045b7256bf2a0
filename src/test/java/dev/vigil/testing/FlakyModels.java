package dev.vigil.testing;

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

/**
 * Test doubles selected by configuration like any model ({@code vigil.model.type=test_flaky},
 * {@code vigil.fallback.model=test_flaky_fallback}): a z-score that fails or stalls when a test says so. The
 * switches are set by the test, on a fixed schedule, never at random.
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

        @Override
        public StateFormat<Detector> stateFormat() {
            return Flaky.STATE_FORMAT;
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
        private final Runnable behaviour;

        Flaky(int dimensions, Runnable behaviour) {
            this.inner = new ZScoreDetector(dimensions);
            this.behaviour = behaviour;
        }

        @Override
        public double score(double[] x) {
            behaviour.run();
            return inner.score(x);
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
