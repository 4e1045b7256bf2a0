package dev.vigil.camel.broker;

import dev.vigil.service.config.VigilConfig;
import io.quarkus.logging.LoggingFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Keeps the broker clients' own warnings from flooding the log while a broker is unreachable (the Kafka client
 * warns on every reconnect attempt, several a second per client; the JMS listener on every refresh). It applies to
 * warnings and errors of the Kafka clients ({@code org.apache.kafka}, {@code org.apache.camel.component.kafka}) and
 * of the JMS clients ({@code org.apache.activemq}, {@code org.apache.camel.component.jms},
 * {@code org.springframework.jms}):
 *
 * <ul>
 * <li>while {@link BrokerWatch} knows a broker of that kind to be down, they are held back and counted, and its one
 * line per {@code vigil.brokers.log-interval} gives the count;</li>
 * <li>otherwise each logger gets one line per interval; the next one it logs says how many were held back.</li>
 * </ul>
 *
 * Quarkus makes the filter when it sets up logging, before the application starts, with the interval from the
 * configuration; {@link BrokerWatch} tells it which kinds are down. Set on several handlers (console, file), it
 * decides once per line; its state is one for the process, as the log is.
 */
@LoggingFilter(name = "vigil-broker-clients")
public final class BrokerLogFilter implements Filter {
    private static volatile long intervalMillis;
    private static volatile LongSupplier clock = System::currentTimeMillis;
    /** Brokers of each kind known to be down. */
    private static final Map<Broker.Kind, AtomicLong> DOWN = new ConcurrentHashMap<>();
    private static final Map<Broker.Kind, AtomicLong> HELD_WHILE_DOWN = new ConcurrentHashMap<>();
    private static final Map<String, Window> WINDOWS = new ConcurrentHashMap<>();

    /** One logger's current interval: when it began and how many lines it held back. */
    private static final class Window {
        long start;
        long held;
    }

    /** One constructor, whose parameter Quarkus injects: the filter is a bean made when logging starts. */
    public BrokerLogFilter(@ConfigProperty(name = "vigil.brokers.log-interval",
            defaultValue = VigilConfig.Brokers.DEFAULT_LOG_INTERVAL) long logIntervalMillis) {
        intervalMillis = logIntervalMillis;
    }

    /** The clock the intervals are measured by; tests set their own. */
    static void clock(LongSupplier clock) {
        BrokerLogFilter.clock = clock;
    }

    /** A broker of that kind went down: its clients' warnings are held back until no such broker is down. */
    static void wentDown(Broker.Kind kind) {
        DOWN.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** A broker of that kind that was down is back, or no longer watched. */
    static void cameBack(Broker.Kind kind) {
        DOWN.computeIfAbsent(kind, k -> new AtomicLong()).decrementAndGet();
    }

    /** Lines of that kind's clients held back since the last call. */
    static long takeHeld(Broker.Kind kind) {
        AtomicLong held = HELD_WHILE_DOWN.get(kind);
        return held == null ? 0 : held.getAndSet(0);
    }

    static Broker.Kind kindOf(String logger) {
        if (logger == null) {
            return null;
        }
        if (logger.startsWith("org.apache.kafka.") || logger.startsWith("org.apache.camel.component.kafka.")) {
            return Broker.Kind.KAFKA;
        }
        if (logger.startsWith("org.apache.activemq.") || logger.startsWith("org.apache.camel.component.jms.")
                || logger.startsWith("org.springframework.jms.")) {
            return Broker.Kind.JMS;
        }
        return null;
    }

    /** The last record this thread decided on, and the decision: each handler the filter is set on asks again. */
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

    @Override
    public boolean isLoggable(LogRecord record) {
        Object[] last = LAST.get();
        if (last[0] == record) {
            return (Boolean) last[1];
        }
        boolean loggable = decide(record);
        last[0] = record;
        last[1] = loggable;
        return loggable;
    }

    private static boolean decide(LogRecord record) {
        long interval = intervalMillis;
        if (interval <= 0 || record.getLevel().intValue() < Level.WARNING.intValue()) {
            return true;
        }
        Broker.Kind kind = kindOf(record.getLoggerName());
        if (kind == null) {
            return true;
        }
        AtomicLong down = DOWN.get(kind);
        if (down != null && down.get() > 0) {
            HELD_WHILE_DOWN.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            return false;
        }
        long now = clock.getAsLong();
        Window w = WINDOWS.computeIfAbsent(record.getLoggerName(), n -> new Window());
        long held;
        synchronized (w) {
            if (w.start != 0 && now - w.start < interval) {
                w.held++;
                return false;
            }
            held = w.held;
            w.start = now;
            w.held = 0;
        }
        if (held > 0) {
            String note = " [" + held + " more like it from this logger held back in the last " + interval / 1000
                    + " s]";
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(ext.getFormattedMessage() + note, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            } else {
                record.setMessage(record.getMessage() + note);
            }
        }
        return true;
    }
}
