package dev.vigil.camel.source.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.entity.PartitionOwnership;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RejectReason;
import dev.vigil.service.point.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A broker message always ends as points or rejections, whatever its body. */
class MessagePointsTest {
    private final VigilConfig config = new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
            .withSources(new PropertiesConfigSource(Map.of(), "test", 500)).build().getConfigMapping(VigilConfig.class);
    private final MessagePoints messages = new MessagePoints(config, new PartitionOwnership(config),
            new PendingCommits(), new VigilMetrics(new SimpleMeterRegistry()));

    private PointBatch jms(Object body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("key", "k");
        messages.jms(exchange);
        return exchange.getMessage().getBody(PointBatch.class);
    }

    /** An empty array used to leave nothing behind: no point, no rejection (found by HostileKafkaCorpusTest). */
    @Test
    void emptyArray_oneRejectionNamingIt() {
        PointBatch batch = jms("[]");
        assertEquals(0, batch.raw().size());
        assertEquals(1, batch.rejections().size());
        Rejection r = batch.rejections().get(0);
        assertEquals(RejectReason.EMPTY_POINT, r.rule());
        assertEquals("[]", r.original());
        assertEquals("k", r.key());
    }

    @Test
    void emptyOrBlankOrNullBody_oneRejection() {
        for (Object body : new Object[] {"", "  \t ", null, new byte[0]}) {
            PointBatch batch = jms(body);
            assertEquals(0, batch.raw().size(), String.valueOf(body));
            assertEquals(1, batch.rejections().size(), String.valueOf(body));
        }
    }

    /** Kafka: the client is the record key, as the README says; a rejection used to carry {@code "client":""}. */
    @Test
    void kafkaRecordThatCannotBeRead_rejectionNamesTheRecordKeyAsItsClient() {
        Exchange poll = new DefaultExchange(new DefaultCamelContext());
        Exchange record = new DefaultExchange(poll.getContext());
        record.getMessage().setHeader(org.apache.camel.component.kafka.KafkaConstants.KEY, "sensor-7");
        record.getMessage().setBody("not json");
        poll.getMessage().setBody(java.util.List.of(record));
        messages.kafka(poll);
        PointBatch batch = poll.getMessage().getBody(PointBatch.class);
        assertEquals("sensor-7", batch.rejections().get(0).client());
        assertEquals("sensor-7", batch.clientOf("sensor-7"));
    }

    @Test
    void arrayOfTwo_twoRawPoints() {
        assertEquals(2, jms("[{\"a\":1},{\"a\":2}]").raw().size());
    }
}
