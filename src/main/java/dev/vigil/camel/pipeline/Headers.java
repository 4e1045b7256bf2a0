package dev.vigil.camel.pipeline;

/** Names of the message headers and exchange properties Vigil's routes and beans share, and the batch body. */
public final class Headers {
    /** Severity of a group of results: low, medium, high, critical. */
    public static final String SEVERITY = "vigilSeverity";
    /** Property: the Kafka commits to make once a poll's batch is routed. */
    public static final String KAFKA_COMMITS = "vigilKafkaCommits";

    private Headers() {
    }

    /** The batch an exchange carries; every step after parsing has one. */
    public static dev.vigil.service.point.PointBatch batch(org.apache.camel.Exchange exchange) {
        dev.vigil.service.point.PointBatch batch = exchange.getMessage().getBody(dev.vigil.service.point.PointBatch.class);
        if (batch == null) {
            throw new IllegalStateException("expected a PointBatch body, got "
                    + exchange.getMessage().getBody());
        }
        return batch;
    }
}
