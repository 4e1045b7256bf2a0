package dev.vigil.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * The common end of a hostile corpus run against one source: wait until the sinks hold as many new outcomes as the
 * corpus implies, print the figures, and assert that every outcome is there exactly once (results + rejections
 * = expected, none dead-lettered, the metrics grew by as much), that every rejection names its rule, that the
 * service stayed ready, no route stopped and the heap stayed within a bound. Everything is counted from the start
 * of the run ({@link SinkMark}, metrics before), so other tests may share the service.
 */
public final class CorpusVerdict {
    /** Used heap after GC may grow by this much over a run (pipelines of the keys the corpus created, caches). */
    public static final long HEAP_GROWTH_BOUND = 128L << 20;

    private final String test;
    private final String source;
    private final TestDirs dirs;
    private final long heapBefore;
    private final long start = System.nanoTime();
    private final ServiceVitals.ReadinessWatch readiness;
    private final CamelContext camel;
    private final List<String> startedBefore;
    private final SinkMark mark;
    private final double[] metricsBefore;

    /**
     * Notes the routes started (unconfigured sources stay stopped by design) and measures the heap; then starts
     * the clock and the readiness watch.
     */
    public CorpusVerdict(String test, String source, TestDirs dirs, CamelContext camel) {
        this.test = test;
        this.source = source;
        this.dirs = dirs;
        this.camel = camel;
        this.startedBefore = ServiceVitals.startedRoutes(camel);
        assertFalse(startedBefore.isEmpty(), "no route started");
        this.mark = SinkMark.of(dirs);
        this.metricsBefore = pointMetrics();
        this.heapBefore = ServiceVitals.usedHeapAfterGc();
        this.readiness = ServiceVitals.watchReadiness(250);
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Prints a figure line of the test: "Test: ...". */
    public void print(String format, Object... args) {
        System.out.printf(Locale.ROOT, test + ": " + format + "%n", args);
    }

    /** Points received, scored and rejected from this source, as the service counts them. */
    private double[] pointMetrics() {
        String label = "source=\"" + source + "\"";
        return new double[] {ServiceVitals.metric("vigil_points_received_total", label),
            ServiceVitals.metric("vigil_points_scored_total", label), ServiceVitals.metric("vigil_points_rejected_total", label)};
    }

    /**
     * Waits for {@code expected} outcomes in the sinks, then checks and prints everything. {@code mix} is the
     * corpus's cases per kind: printed, and each kind must be there at least {@link HostileCorpus#MIN_PER_KIND}
     * times.
     */
    public SinkTally finish(long expected, Map<HostileCorpus.Kind, Integer> mix) throws InterruptedException {
        print("mix %s", mix);
        HostileCorpus.assertCoverage(mix);
        // Not Awaitility: on a timeout the figures below still print and the assertions say what is missing.
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (SinkTally.lines(dirs, mark) < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        double processed = seconds();
        Thread.sleep(1_000);   // anything still to come would be a duplicate: give it a moment to show
        readiness.close();
        SinkTally tally = SinkTally.read(dirs, source, mark);
        long heapAfter = ServiceVitals.usedHeapAfterGc();
        double[] metrics = pointMetrics();
        double received = metrics[0] - metricsBefore[0];
        double scored = metrics[1] - metricsBefore[1];
        double rejected = metrics[2] - metricsBefore[2];

        print("all outcomes after %.1f s; expected %d = results %d + rejections %d (dead letters %d); metrics received %.0f, "
                + "scored %.0f, rejected %.0f", processed, expected, tally.resultCount(), tally.rejectionCount(),
                tally.deadLetters, received, scored, rejected);
        print("rejections by reason %s; results by severity %s", tally.rejections, tally.results);
        print("used heap after GC %d MB before, %d MB after; readiness %d probes, %d not ready; %d routes started before "
                + "and %d after", heapBefore >> 20, heapAfter >> 20, readiness.probes(), readiness.failures().size(),
                startedBefore.size(), ServiceVitals.startedRoutes(camel).size());

        assertTrue(tally.problems.isEmpty(), tally.problems.size() + " problems, first: "
                + tally.problems.subList(0, Math.min(10, tally.problems.size())));
        assertEquals(0, tally.deadLetters, "dead letters");
        assertEquals(expected, tally.resultCount() + tally.rejectionCount(), "outcomes (results + rejections): " + tally);
        assertEquals(tally.resultCount(), scored, "results written = points scored");
        assertEquals(tally.rejectionCount(), rejected, "rejections written = points rejected");
        assertEquals(received, scored + rejected, "received = scored + rejected");
        assertTrue(readiness.failures().isEmpty(), "not ready: " + readiness.failures());
        assertTrue(readiness.probes() > 0, "readiness was never probed");
        List<String> started = ServiceVitals.startedRoutes(camel);
        assertEquals(startedBefore, started, "routes started before and after the corpus");
        assertTrue(heapAfter < heapBefore + HEAP_GROWTH_BOUND,
                String.format(Locale.ROOT, "used heap grew from %d MB to %d MB", heapBefore >> 20, heapAfter >> 20));
        return tally;
    }

    /** After the run: an ordinary point sent by {@code send} must add one result of this source. */
    public void assertOrdinaryPointScores(SinkTally before, Runnable send) {
        send.run();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> SinkTally.read(dirs, source, mark).resultCount() == before.resultCount() + 1);
    }
}
