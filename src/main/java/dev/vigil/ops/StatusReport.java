package dev.vigil.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.camel.broker.BrokerStatus;
import dev.vigil.camel.broker.BrokerWatch;
import dev.vigil.camel.pipeline.BreakerState;
import dev.vigil.camel.sink.ResultJson;
import dev.vigil.camel.source.http.ApiGate;
import dev.vigil.camel.source.http.HttpResponses;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.entity.EntityRegistry;
import dev.vigil.service.monitor.Alert;
import dev.vigil.service.monitor.MonitoringService;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/v1/status}: what an operator asks first, in one JSON document. Counts and rates processed, the
 * configured pipelines, detector and breaker state, memory, keys, checkpoints, the configured brokers, alerts and the
 * security summary. Nothing in it is a secret or a payload. The recent security events name clients and addresses: a
 * caller sees only its own, unless its client is one of {@code vigil.security.admin-clients} (or keys are off).
 */
@ApplicationScoped
@Named("statusReport")
@RegisterForReflection
public class StatusReport {
    private final MonitoringService monitoring;
    private final DetectionSettings settings;
    private final EntityRegistry entities;
    private final BreakerState breaker;
    private final VigilConfig config;
    private final Checkpoints checkpoints;
    private final SecurityEvents security;
    private final BrokerWatch brokers;

    @Inject
    public StatusReport(MonitoringService monitoring, DetectionSettings settings, EntityRegistry entities,
            BreakerState breaker, VigilConfig config, Checkpoints checkpoints, SecurityEvents security,
            BrokerWatch brokers) {
        this.monitoring = monitoring;
        this.settings = settings;
        this.entities = entities;
        this.breaker = breaker;
        this.config = config;
        this.checkpoints = checkpoints;
        this.security = security;
        this.brokers = brokers;
    }

    public void respond(Exchange exchange) {
        String client = ApiGate.clientOf(exchange.getMessage());
        boolean admin = !config.security().enabled()
                || config.security().adminClients().orElse(List.of()).contains(client);
        Predicate<SecurityEvent> visible = admin ? e -> true : e -> e.client().equals(client);
        HttpResponses.json(exchange.getMessage(), 200, ResultJson.write(g -> write(g, visible, admin)));
    }

    private void write(JsonGenerator g, Predicate<SecurityEvent> visibleEvents, boolean admin) throws IOException {
        MonitoringService.Totals t = monitoring.totals();
        g.writeStartObject();
        g.writeStringField("status", monitoring.status().name().toLowerCase(Locale.ROOT));
        g.writeStringField("detector", monitoring.detectorState().label());
        g.writeStringField("breaker", breaker.current());
        g.writeNumberField("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);

        g.writeObjectFieldStart("processed");
        g.writeNumberField("points", t.scored() + t.rejected());
        g.writeNumberField("scored", t.scored());
        g.writeNumberField("anomalies", t.anomalies());
        g.writeNumberField("rejected", t.rejected());
        g.writeNumberField("degraded", t.degraded());
        g.writeNumberField("failed", t.failed());
        g.writeNumberField("anomalyRate", round(t.anomalyRate()));
        g.writeNumberField("errorRate", round(t.errorRate()));
        g.writeNumberField("meanBatchSeconds", round(t.meanBatchSeconds()));
        g.writeNumberField("pointsPerScoringSecond", Math.round(t.pointsPerScoringSecond()));
        g.writeEndObject();

        g.writeArrayFieldStart("pipelines");
        writePipeline(g, "model", settings.spec().description());
        writePipeline(g, "fallback", settings.fallback().description());
        g.writeEndArray();
        var grading = settings.grading();
        g.writeObjectFieldStart("thresholds");
        g.writeStringField("mode", grading.mode().configName());
        writeThresholds(g, "score", grading.scores());
        writeThresholds(g, "rarity", grading.rarities());
        g.writeEndObject();

        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        g.writeObjectFieldStart("memory");
        g.writeNumberField("modelBytes", entities.usedBytes());
        g.writeNumberField("budgetBytes", entities.budgetBytes());
        g.writeNumberField("heapUsedBytes", heap.getUsed());
        g.writeNumberField("heapMaxBytes", heap.getMax());
        g.writeNumberField("residentMb", Math.round(t.residentMemoryMb()));
        g.writeEndObject();

        g.writeObjectFieldStart("keys");
        g.writeNumberField("live", entities.size());
        g.writeNumberField("max", config.keys().max());
        g.writeNumberField("evicted", entities.evictions());
        g.writeEndObject();

        g.writeObjectFieldStart("checkpoints");
        g.writeBooleanField("enabled", checkpoints.enabled());
        g.writeNumberField("written", checkpoints.written());
        g.writeNumberField("restored", checkpoints.restored());
        g.writeNumberField("failures", checkpoints.failures());
        // failing from a failed checkpoint until one is written again, as /q/health/well says
        g.writeBooleanField("failing", checkpoints.failingSince() != 0);
        g.writeNumberField("unsavedKeys", checkpoints.unsavedKeys());
        long last = checkpoints.lastWrittenAt();
        if (last > 0) {
            g.writeNumberField("lastWrittenSecondsAgo", (System.currentTimeMillis() - last) / 1000);
        }
        if (checkpoints.lastFailure() != null) {
            g.writeStringField("lastFailure", checkpoints.lastFailure());
        }
        g.writeEndObject();

        g.writeArrayFieldStart("brokers");
        for (BrokerStatus b : brokers.statuses()) {
            writeBroker(g, b, admin);
        }
        g.writeEndArray();

        g.writeObjectFieldStart("alerts");
        writeAlerts(g, "active", monitoring.activeAlerts());
        writeAlerts(g, "recent", monitoring.recentAlerts());
        g.writeEndObject();

        g.writeFieldName("security");
        ResultJson.writeSecuritySummary(g, security.summary(visibleEvents));
        g.writeEndObject();
    }

    /**
     * {@code {"name","kind","address","usedBy","status","since","user","reason","failedChecks"}}; where the brokers
     * are and who Vigil logs in as only for an admin client (any key holder may read the status).
     */
    private static void writeBroker(JsonGenerator g, BrokerStatus b, boolean admin) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", b.broker().name());
        g.writeStringField("kind", b.broker().kind().label());
        if (admin) {
            g.writeStringField("address", b.broker().address());
        }
        g.writeArrayFieldStart("usedBy");
        for (String use : b.broker().usedBy()) {
            g.writeString(use);
        }
        g.writeEndArray();
        g.writeStringField("status", b.state().label());
        g.writeStringField("since", b.since().toString());
        if (admin && b.user() != null) {
            g.writeStringField("user", b.user());
        }
        if (b.reason() != null) {
            g.writeStringField("reason", b.reason());
            g.writeBooleanField("loginRefused", b.loginRefused());
            g.writeNumberField("failedChecks", b.failedChecks());
        }
        g.writeEndObject();
    }

    private static void writeThresholds(JsonGenerator g, String name, Thresholds t) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("medium", t.medium());
        g.writeNumberField("high", t.high());
        g.writeNumberField("critical", t.critical());
        g.writeNumberField("anomaly", t.anomaly());
        g.writeEndObject();
    }

    private static void writePipeline(JsonGenerator g, String role, String description) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("stages", description);
        g.writeEndObject();
    }

    private static void writeAlerts(JsonGenerator g, String name, List<Alert> alerts) throws IOException {
        g.writeArrayFieldStart(name);
        for (Alert a : alerts) {
            g.writeRawValue(ResultJson.alert(a));
        }
        g.writeEndArray();
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
