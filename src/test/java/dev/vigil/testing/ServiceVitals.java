package dev.vigil.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * The health of a service under test while a corpus is thrown at it: used heap after a garbage collection,
 * every route still started, and readiness watched throughout ({@link #watchReadiness}).
 */
public final class ServiceVitals {
    private ServiceVitals() {
    }

    /** Used heap after three full collections, in bytes (the test runs in the service's JVM). */
    public static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** The ids of the routes that are Started, sorted. */
    public static List<String> startedRoutes(CamelContext camel) {
        List<String> started = new ArrayList<>();
        for (Route r : camel.getRoutes()) {
            if (camel.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started) {
                started.add(r.getRouteId());
            }
        }
        started.sort(null);
        return started;
    }

    /**
     * The sum of the Prometheus series {@code name} whose labels contain {@code label} (e.g. {@code
     * source="kafka"}), from /q/metrics.
     */
    public static double metric(String name, String label) {
        try {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(TestUrls.management("/q/metrics")).build());
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + "{") && line.contains(label)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls /q/health/ready every {@code periodMillis} until closed, counting the answers that were not 200. */
    public static ReadinessWatch watchReadiness(long periodMillis) {
        return new ReadinessWatch(periodMillis);
    }

    public static final class ReadinessWatch implements AutoCloseable {
        private static final Duration PROBE_LIMIT = Duration.ofSeconds(10);
        private final AtomicInteger probes = new AtomicInteger();
        private final List<String> failures = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        ReadinessWatch(long periodMillis) {
            HttpRequest ready = HttpRequest.newBuilder(TestUrls.management("/q/health/ready")).build();
            thread = new Thread(() -> {
                while (running) {
                    try {
                        HttpResponse<String> r = Http.send(ready, HttpResponse.BodyHandlers.ofString(), PROBE_LIMIT);
                        probes.incrementAndGet();
                        if (r.statusCode() != 200) {
                            record(r.statusCode() + " " + r.body());
                        }
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        probes.incrementAndGet();
                        record(e.toString());
                    }
                }
            }, "readiness-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void record(String failure) {
            failures.add(failure);
        }

        public int probes() {
            return probes.get();
        }

        public synchronized List<String> failures() {
            return List.copyOf(failures);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(15_000);
        }
    }
}
