package dev.vigil.camel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class BrokerLogFilterTest {
    private static final long INTERVAL = 60_000;

    private static ExtLogRecord record(Level level, String logger, String message) {
        ExtLogRecord r = new ExtLogRecord(level, message, ExtLogRecord.FormatStyle.NO_FORMAT, BrokerLogFilterTest.class.getName());
        r.setLoggerName(logger);
        return r;
    }

    @Test
    void isLoggable_kafkaClientFlood_oneLinePerIntervalAndTheNextSaysHowManyWereHeld() {
        BrokerLogFilter filter = new BrokerLogFilter(INTERVAL);
        String logger = "org.apache.kafka.clients.NetworkClient.flood-test";
        assertTrue(filter.isLoggable(record(Level.WARNING, logger, "Connection to node -1 could not be established")));
        int passed = 0;
        for (int i = 0; i < 188; i++) {
            passed += filter.isLoggable(record(Level.WARNING, logger, "Connection refused " + i)) ? 1 : 0;
        }
        assertEquals(0, passed, "held back within the interval");
        // Another logger of the same client has its own budget; lines below WARN and other loggers always pass.
        assertTrue(filter.isLoggable(record(Level.WARNING, "org.apache.kafka.clients.Metadata.flood-test", "x")));
        assertTrue(filter.isLoggable(record(Level.INFO, logger, "info passes")));
        assertTrue(filter.isLoggable(record(Level.WARNING, "dev.vigil.flood-test", "ours pass")));
    }

    @Test
    void isLoggable_nextIntervalsFirstLine_carriesTheCountOfHeldLines() {
        AtomicLong now = new AtomicLong(1_000_000);
        BrokerLogFilter filter = new BrokerLogFilter(INTERVAL);
        BrokerLogFilter.clock(now::get);
        try {
            String logger = "org.apache.camel.component.jms.count-test";
            assertTrue(filter.isLoggable(record(Level.WARNING, logger, "first")));
            now.addAndGet(INTERVAL - 1);
            assertFalse(filter.isLoggable(record(Level.WARNING, logger, "second")));
            assertFalse(filter.isLoggable(record(Level.WARNING, logger, "third")));
            now.addAndGet(1);
            ExtLogRecord next = record(Level.WARNING, logger, "fourth");
            assertTrue(filter.isLoggable(next));
            assertEquals("fourth [2 more like it from this logger held back in the last 60 s]",
                    next.getFormattedMessage());
            now.addAndGet(INTERVAL);
            ExtLogRecord quiet = record(Level.WARNING, logger, "fifth");
            assertTrue(filter.isLoggable(quiet));
            assertEquals("fifth", quiet.getFormattedMessage(), "nothing held since the last line");
        } finally {
            BrokerLogFilter.clock(System::currentTimeMillis);
        }
    }

    @Test
    void isLoggable_whileABrokerOfTheKindIsDown_everyClientWarningHeldAndCounted() {
        BrokerLogFilter filter = new BrokerLogFilter(INTERVAL);
        BrokerLogFilter.takeHeld(Broker.Kind.JMS);
        BrokerLogFilter.wentDown(Broker.Kind.JMS);
        try {
            for (int i = 0; i < 5; i++) {
                assertFalse(filter.isLoggable(record(Level.SEVERE, "org.springframework.jms.down-test" + i,
                        "Could not refresh JMS Connection")));
            }
            assertTrue(filter.isLoggable(record(Level.WARNING, "org.apache.kafka.clients.down-test", "other kind")));
            assertEquals(5, BrokerLogFilter.takeHeld(Broker.Kind.JMS));
        } finally {
            BrokerLogFilter.cameBack(Broker.Kind.JMS);
        }
        assertTrue(filter.isLoggable(record(Level.WARNING, "org.springframework.jms.down-test-after", "back")));
    }

    @Test
    void isLoggable_sameRecordAskedByTwoHandlers_sameAnswer() {
        BrokerLogFilter console = new BrokerLogFilter(INTERVAL);
        BrokerLogFilter file = new BrokerLogFilter(INTERVAL);
        String logger = "org.apache.activemq.artemis.core.client.twice-test";
        ExtLogRecord first = record(Level.WARNING, logger, "first");
        assertTrue(console.isLoggable(first));
        assertTrue(file.isLoggable(first), "the file handler sees the line the console showed");
        ExtLogRecord second = record(Level.WARNING, logger, "second");
        assertFalse(console.isLoggable(second));
        assertFalse(file.isLoggable(second));
    }
}
