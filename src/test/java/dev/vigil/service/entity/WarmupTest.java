package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Result;
import dev.vigil.testing.ServiceParts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A new key's first results, through the service layer with each model's defaults (fixed grading, the model's own
 * warm-up), without and with its recommended transforms: every one of the first {@code warmup} results of each of
 * three new keys is marked warm-up, graded low and not an anomaly, although some of their scores would be
 * anomalies in fixed grading (outliers of 8 sigma, a model not yet used to the key); the next one is graded as
 * usual. How long each model's warm-up is, and why: docs/models.md, "Warm-up".
 */
class WarmupTest {

    static Stream<Arguments> models() {
        return Stream.of(ModelType.values()).flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
    }

    @ParameterizedTest(name = "{0}, recommended transforms {1}")
    @MethodSource("models")
    void score_newKeysFirstPoints_warmupLowNeverAnAnomaly(ModelType type, boolean transforms) {
        DetectionSettings settings = transforms ? ServiceParts.settings(type.configName(), Map.of())
                : ServiceParts.defaults(type.configName());
        assertEquals(type.warmup(), settings.warmup(), "the model's own warm-up by default");
        ServiceParts.Service service = ServiceParts.Service.start(settings, null, 100, 10_000);
        Map<String, Integer> seen = new HashMap<>();
        double highest = 0;
        for (PointBatch batch : ServiceParts.stream(3 * (type.warmup() / 25 + 2), 7)) {
            for (Result r : service.detection().score(batch)) {
                int n = seen.merge(r.point().key(), 1, Integer::sum);
                String where = type + ", key " + r.point().key() + ", point " + n;
                if (n <= type.warmup()) {
                    assertTrue(r.warmup(), where + ": marked warm-up");
                    assertEquals(Severity.LOW, r.severity(), where);
                    assertFalse(r.anomaly(), where);
                    highest = Math.max(highest, r.score());
                } else {
                    assertFalse(r.warmup(), where + ": warm");
                }
            }
        }
        assertTrue(highest >= 0.7, "a warm-up score that fixed grading calls an anomaly: " + highest);
    }

    /** What the warm-up prevents: without it, knn grades every new key's second point critical (score 1.0). */
    @Test
    void score_knnWithoutWarmup_secondPointOfANewKeyCritical() {
        DetectionSettings knn = ServiceParts.defaults("knn");
        DetectionSettings noWarmup = new DetectionSettings(knn.spec(), knn.fallback(), knn.grading(),
                knn.rarityWindow(), knn.explainFrom(), 0, 0, true);
        ServiceParts.Service service = ServiceParts.Service.start(noWarmup, null, 100, 10_000);
        List<Result> first = service.detection().score(ServiceParts.stream(1, 7).get(0));
        assertEquals(Severity.CRITICAL, first.get(1).severity());
        assertFalse(first.get(1).warmup());
    }
}
