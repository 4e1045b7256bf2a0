package dev.vigil.detect.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void severity_defaults_followReferenceBands() {
        Thresholds t = Thresholds.DEFAULT;
        assertEquals(Severity.LOW, t.severity(0.0));
        assertEquals(Severity.LOW, t.severity(0.5999));
        assertEquals(Severity.MEDIUM, t.severity(0.6));
        assertEquals(Severity.MEDIUM, t.severity(0.7999));
        assertEquals(Severity.HIGH, t.severity(0.8));
        assertEquals(Severity.CRITICAL, t.severity(0.9));
        assertEquals(Severity.CRITICAL, t.severity(1.0));
    }

    @Test
    void isAnomaly_atOrAboveThreshold() {
        assertFalse(Thresholds.DEFAULT.isAnomaly(0.6999));
        assertTrue(Thresholds.DEFAULT.isAnomaly(0.7));
    }

    @Test
    void of_unorderedThresholds_refusedWithKey() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Thresholds.of("vigil.thresholds", 0.9, 0.8, 0.95, 0.7));
        assertEquals("vigil.thresholds", e.key());
        InvalidConfigurationException range = assertThrows(InvalidConfigurationException.class,
                () -> Thresholds.of("vigil.thresholds", 0.6, 0.8, 0.9, 1.5));
        assertEquals("vigil.thresholds.anomaly", range.key());
    }

    @Test
    void label_isLowerCase() {
        assertEquals("critical", Severity.CRITICAL.label());
    }
}
