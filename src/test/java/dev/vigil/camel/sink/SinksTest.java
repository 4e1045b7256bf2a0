package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigil.detect.grade.Severity;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.Result;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class SinksTest {
    private static final String RESULT = "{\"id\":\"r1\",\"key\":\"sensor-1\",\"source\":\"kafka\",\"score\":0.93,"
            + "\"severity\":\"critical\",\"isAnomaly\":true,\"model\":\"isolation_forest\",\"state\":\"healthy\","
            + "\"features\":{\"key\":1.0,\"model\":2.0}}";
    private static final String REJECTION = "{\"source\":\"kafka\",\"client\":\"sensor-2\",\"key\":\"sensor-2\","
            + "\"reason\":\"malformed\",\"message\":\"not JSON\",\"original\":\"x\"}";

    private final Sinks sinks = new Sinks(new VigilMetrics(new SimpleMeterRegistry()),
            new SmallRyeConfigBuilder().withMapping(VigilConfig.class).withSources(new PropertiesConfigSource(
                    Map.of("vigil.sink.critical", "kafka:anomalies?brokers={{vigil.kafka.brokers}}",
                            "vigil.sink.rejected", "jms:queue:rejected"), "test", 500))
                    .build().getConfigMapping(VigilConfig.class));

    private static Exchange group(String sink, List<String> lines) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Sinks.SINK, sink);
        exchange.getMessage().setBody(lines);
        return exchange;
    }

    /** A per-record sink's messages for the group. */
    private List<Message> messages(String sink, List<String> lines) throws Exception {
        return sinks.messages(group(sink, lines));
    }

    @Test
    void whole_groupedSink_theLinesAsOneBodyForOneAppend_withoutHeaders() {
        Exchange exchange = group("high", List.of("a", "b"));
        exchange.getMessage().setHeader("vigilSeverity", "high");
        sinks.whole(exchange);
        assertEquals("a\nb\n", exchange.getMessage().getBody());
        assertEquals(Map.of(), exchange.getMessage().getHeaders());
    }

    @Test
    void messages_perRecordKafkaSink_recordKeyedByEntityWithTheGradeAsHeaders() throws Exception {
        Message m = messages("critical", List.of(RESULT)).get(0);
        assertEquals(RESULT, m.getBody());
        assertEquals("sensor-1", m.getHeader(Sinks.KAFKA_KEY));
        assertNull(m.getHeader("key"), "the key is the record key, not a header as well");
        assertEquals("critical", m.getHeader("severity"));
        assertEquals("isolation_forest", m.getHeader("model"));
        assertEquals("healthy", m.getHeader("state"));
        assertEquals(4, m.getHeaders().size(), "nothing else of Vigil's goes to the broker: " + m.getHeaders());
    }

    private static void append(ResultLines lines, Result r) {
        lines.appendLine(ResultJson.result("kafka", r), r);
    }

    /** The headers taken from the results are those the lines' JSON gives, for Kafka and JMS sinks alike. */
    @Test
    void messages_resultLines_sameMessagesAsFromTheirJson() throws Exception {
        ResultLines results = new ResultLines();
        DataPoint p = new DataPoint("r1", "sensor-1", null, new String[] {"key", "model"}, new double[] {1.0, 2.0});
        append(results, new Result(p, 0.93, Double.NaN, Severity.CRITICAL, true, "isolation_forest",
                DetectorState.HEALTHY, null));
        append(results, new Result(p, 0.5, Double.NaN, Severity.LOW, false, "zscore_fallback",
                DetectorState.DEGRADED, "timeout"));
        append(results, new Result(p, Double.NaN, Double.NaN, Severity.LOW, false, null,
                DetectorState.FAILED, "fallback failed"));
        for (String sink : List.of("critical", "rejected")) {
            List<Message> fromResults = messages(sink, results);
            List<Message> fromJson = messages(sink, List.copyOf(results));
            assertEquals(3, fromResults.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(fromJson.get(i).getBody(), fromResults.get(i).getBody());
                assertEquals(fromJson.get(i).getHeaders(), fromResults.get(i).getHeaders(), sink + " line " + i);
            }
        }
    }

    @Test
    void messages_perRecordJmsSink_keyAsAPropertyAndNothingBorrowedFromFeatures() throws Exception {
        List<Message> out = messages("rejected", List.of(REJECTION, RESULT));
        assertEquals(2, out.size());
        assertEquals("sensor-2", out.get(0).getHeader("key"));
        assertNull(out.get(0).getHeader(Sinks.KAFKA_KEY));
        assertFalse(out.get(0).getHeaders().containsKey("severity"));
        assertEquals("sensor-1", out.get(1).getHeader("key"), "a feature named key is not the entity key");
    }
}
