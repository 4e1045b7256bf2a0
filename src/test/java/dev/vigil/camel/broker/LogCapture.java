package dev.vigil.camel.broker;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The log lines the console shows, from the moment it is attached: a handler on the root logger behind the same
 * {@link BrokerLogFilter} the console has, so a line it holds back is not seen here either.
 */
final class LogCapture extends Handler implements AutoCloseable {
    /** One line: when, level, logger, text. */
    record Line(long millis, Level level, String logger, String text) {
        boolean from(String loggerPrefix) {
            return logger != null && logger.startsWith(loggerPrefix);
        }
    }

    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();

    private LogCapture(long logIntervalMillis) {
        setFilter(new BrokerLogFilter(logIntervalMillis));
        setLevel(Level.ALL);
    }

    /** {@code logIntervalMillis}: the application's {@code vigil.brokers.log-interval}. */
    static LogCapture attach(long logIntervalMillis) {
        LogCapture capture = new LogCapture(logIntervalMillis);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    void clear() {
        lines.clear();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            lines.add(new Line(record.getMillis(), record.getLevel(), record.getLoggerName(), text));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
