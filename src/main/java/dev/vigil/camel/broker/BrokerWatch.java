package dev.vigil.camel.broker;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.jboss.logging.Logger;

/**
 * Watches every broker the configuration connects to ({@link ConfiguredBrokers}): a connection check every
 * {@code vigil.brokers.check-interval} ms, with the source's and sinks' own settings, bounded by
 * {@code vigil.brokers.check-timeout}. What it finds is each broker's health check ({@code vigil-broker-<name>}),
 * its entry in {@code /api/v1/status} and the gauge {@code vigil_broker_up}. Readiness does not follow it: the HTTP
 * API and the inbox go on scoring while a broker is away, and the broker clients reconnect on their own.
 *
 * <p>The log gets one line when a broker goes down (an ERROR naming the user when it refused Vigil's login, a WARN
 * otherwise), one line per {@code vigil.brokers.log-interval} while it stays down, with the count of the clients'
 * own warnings held back meanwhile ({@link BrokerLogFilter}), and one when it is back.
 */
@ApplicationScoped
public class BrokerWatch {
    private static final Logger LOG = Logger.getLogger(BrokerWatch.class);

    private final VigilConfig config;
    private final CamelContext camel;
    private final VigilMetrics metrics;
    private final BrokerConnections connections;
    private volatile List<Watched> watched;
    private ScheduledExecutorService scheduler;
    /** Runs the checks, so the scheduler's thread can give up on one that hangs. */
    private ExecutorService checks;

    @Inject
    public BrokerWatch(VigilConfig config, CamelContext camel, VigilMetrics metrics, BrokerConnections connections) {
        this.config = config;
        this.camel = camel;
        this.metrics = metrics;
        this.connections = connections;
    }

    /** The configured brokers, in order: Kafka clusters, then JMS. */
    public List<Broker> brokers() {
        return watched().stream().map(w -> w.broker).toList();
    }

    /** What the checks of every configured broker last found. */
    public List<BrokerStatus> statuses() {
        return watched().stream().map(Watched::status).toList();
    }

    /** What the checks of one broker last found. */
    public BrokerStatus status(Broker broker) {
        return watched().stream().filter(w -> w.broker.equals(broker)).findFirst().orElseThrow().status();
    }

    private synchronized List<Watched> watched() {
        if (watched == null) {
            List<Watched> list = new ArrayList<>();
            for (Broker b : ConfiguredBrokers.of(config, camel::resolvePropertyPlaceholders)) {
                Watched w = new Watched(b, user(b));
                metrics.gauge("vigil.broker.up", "1 while the broker answers Vigil's connection checks, 0 while it"
                        + " does not (also before the first answer)", () -> w.status().state() == BrokerStatus.State.UP
                        ? 1 : 0, "broker", b.name());
                list.add(w);
            }
            watched = List.copyOf(list);
        }
        return watched;
    }

    private String user(Broker b) {
        return b.kind() == Broker.Kind.KAFKA ? connections.kafka().user() : connections.jms().user();
    }

    void start(@Observes StartupEvent event) {
        List<Watched> list = watched();
        if (list.isEmpty()) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(list.size(), r -> {
            Thread t = new Thread(r, "vigil-broker-watch-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        checks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vigil-broker-check-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (Watched w : list) {
            LOG.infof("Watching %s: %s", w.broker.describe(), w.broker.kind() == Broker.Kind.KAFKA
                    ? connections.kafka().describe() : connections.jms().describe());
            scheduler.scheduleWithFixedDelay(w::check, 0, config.brokers().checkInterval(), TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            checks.shutdownNow();
            watched().forEach(Watched::close);
        }
    }

    private BrokerProbe probe(Broker b) {
        long timeout = config.brokers().checkTimeout();
        return b.kind() == Broker.Kind.KAFKA
                ? new KafkaProbe(b.address(), connections.kafka().clientProperties(), timeout)
                : new JmsProbe(connections.jms(), timeout);
    }

    /** One broker's probe and state; checks run one at a time on the scheduler's thread for it. */
    private final class Watched {
        final Broker broker;
        final String user;
        private volatile BrokerStatus status;
        private BrokerProbe probe;
        private Instant lastLine;

        Watched(Broker broker, String user) {
            this.broker = broker;
            this.user = user;
            this.status = new BrokerStatus(broker, user, BrokerStatus.State.UNKNOWN, Instant.now(), null, false, null,
                    0);
        }

        BrokerStatus status() {
            return status;
        }

        void check() {
            Instant now = Instant.now();
            Throwable failure = null;
            try {
                if (probe == null) {
                    probe = probe(broker);
                }
                BrokerProbe p = probe;
                // The probe's own timeouts bound it too; this bounds it whatever the client does.
                CompletableFuture.runAsync(() -> {
                    try {
                        p.check();
                    } catch (Exception e) {
                        throw new CheckFailed(e);
                    }
                }, checks).get(config.brokers().checkTimeout() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause() instanceof CheckFailed c ? c.getCause() : e.getCause();
            } catch (TimeoutException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
            if (failure == null) {
                up(now);
            } else {
                down(now, failure);
            }
        }

        private void up(Instant now) {
            BrokerStatus before = status;
            status = new BrokerStatus(broker, user, BrokerStatus.State.UP,
                    before.state() == BrokerStatus.State.UP ? before.since() : now, null, false, now, 0);
            if (before.state() == BrokerStatus.State.DOWN) {
                BrokerLogFilter.cameBack(broker.kind());
                long held = BrokerLogFilter.takeHeld(broker.kind());
                LOG.infof("%s is reachable again after %s%s", broker.describe(), since(before.since(), now),
                        held > 0 ? "; " + held + " warnings of its clients were held back" : "");
            } else if (before.state() == BrokerStatus.State.UNKNOWN) {
                LOG.infof("%s: connected", broker.describe());
            }
        }

        private void down(Instant now, Throwable failure) {
            boolean loginRefused = probe != null && probe.loginRefused(failure);
            String reason = reason(failure);
            BrokerStatus before = status;
            boolean wasDown = before.state() == BrokerStatus.State.DOWN;
            status = new BrokerStatus(broker, user, BrokerStatus.State.DOWN, wasDown ? before.since() : now, reason,
                    loginRefused, now, before.failedChecks() + 1);
            if (!wasDown) {
                BrokerLogFilter.wentDown(broker.kind());
            }
            // A new line when the broker goes down or the kind of failure changes, not for every new wording of it
            // (a refused login names the client's port, which changes with each attempt).
            if (!wasDown || loginRefused != before.loginRefused()) {
                lastLine = now;
                if (loginRefused) {
                    LOG.errorf("%s refused the login of user '%s': %s. Check %s", broker.describe(), user, reason,
                            broker.kind() == Broker.Kind.KAFKA
                                    ? "vigil.kafka.sasl.username, vigil.kafka.sasl.password and vigil.kafka.sasl.mechanism"
                                    : "vigil.jms.username and vigil.jms.password");
                } else {
                    LOG.warnf("%s is unreachable: %s", broker.describe(), reason);
                }
            } else if (Duration.between(lastLine, now).toMillis() >= config.brokers().logInterval()) {
                lastLine = now;
                long held = BrokerLogFilter.takeHeld(broker.kind());
                LOG.warnf("%s still %s, since %s (%s): %s; %d warnings of its clients held back",
                        broker.describe(), loginRefused ? "refuses user '" + user + "'" : "unreachable",
                        before.since(), since(before.since(), now), reason, held);
            }
        }

        void close() {
            if (status.state() == BrokerStatus.State.DOWN) {
                BrokerLogFilter.cameBack(broker.kind());
            }
            if (probe != null) {
                probe.close();
            }
        }
    }

    /**
     * Why a check failed, for people: a timeout as such, else the innermost message of the failure (the broker's
     * own words, e.g. Artemis's AMQ229031), marked {@code TLS:} when the handshake failed.
     */
    private String reason(Throwable failure) {
        String text = null;
        boolean tls = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return "no answer within " + config.brokers().checkTimeout() + " ms";
            }
            tls |= t instanceof javax.net.ssl.SSLException;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text = t.getMessage().strip();
            }
        }
        text = (tls ? "TLS: " : "") + (text == null ? failure.getClass().getSimpleName() : text);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String since(Instant from, Instant to) {
        long s = Duration.between(from, to).toSeconds();
        return s < 120 ? s + " s" : s / 60 + " min";
    }

    /** Carries a checked failure out of the check's future. */
    private static final class CheckFailed extends RuntimeException {
        CheckFailed(Exception cause) {
            super(cause);
        }
    }
}
