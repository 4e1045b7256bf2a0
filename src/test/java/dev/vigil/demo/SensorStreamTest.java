package dev.vigil.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensorStreamTest {
    private static final SensorStream DEFAULT = SensorStream.generate(42, 20_000, "t-");

    @Test
    void generate_sameSeed_identicalStreams() {
        SensorStream again = SensorStream.generate(42, 20_000, "t-");
        assertEquals(DEFAULT.readings(), again.readings());
        for (Reading r : DEFAULT.readings()) {
            assertEquals(DEFAULT.kindOf(r.id()), again.kindOf(r.id()), r.id());
        }
    }

    @Test
    void generate_otherSeed_differentStream() {
        SensorStream other = SensorStream.generate(43, 20_000, "t-");
        assertNotEquals(DEFAULT.readings(), other.readings());
    }

    @Test
    void generate_defaultSize_everyKindLabelledAtTheExpectedRate() {
        Map<AnomalyKind, Integer> counts = DEFAULT.labelCounts();
        double rate = DEFAULT.labelCount() / (double) DEFAULT.size();
        assertTrue(rate >= 0.02 && rate <= 0.03, "labelled share " + rate);
        // 8 sensors of 2,500: 0.8 % spikes each; 3 level shifts of 20; 3 drifts and 2 stuck runs of 2 % of a sensor.
        assertEquals(160, counts.get(AnomalyKind.SPIKE));
        assertEquals(3 * SensorTrace.SHIFT_LABELLED, counts.get(AnomalyKind.LEVEL_SHIFT));
        assertEquals(3 * 50, counts.get(AnomalyKind.DRIFT));
        assertEquals(2 * 50, counts.get(AnomalyKind.STUCK));
    }

    @Test
    void generate_smallStreams_stillLabelEveryKind() {
        SensorStream smallest = SensorStream.generate(7, SensorStream.MIN_POINTS, "t-");
        smallest.labelCounts().forEach((kind, n) -> assertTrue(n > 0, kind + " has no label"));
        // Level shifts label 20 readings whatever the length, so short streams run a little above 3 %.
        SensorStream small = SensorStream.generate(7, 5_000, "t-");
        double rate = small.labelCount() / (double) small.size();
        assertTrue(rate >= 0.02 && rate <= 0.035, "labelled share " + rate);
    }

    @Test
    void generate_stuckRun_repeatsTheReadingBeforeIt() {
        int runs = 0;
        for (int s = 0; s < DEFAULT.sensorCount(); s++) {
            List<Reading> readings = DEFAULT.sensor(s);
            for (int t = 1; t < readings.size(); t++) {
                if (DEFAULT.kindOf(readings.get(t).id()) == AnomalyKind.STUCK) {
                    runs += DEFAULT.kindOf(readings.get(t - 1).id()) == AnomalyKind.STUCK ? 0 : 1;
                    assertEquals(values(readings.get(t - 1)), values(readings.get(t)), readings.get(t).id());
                }
            }
        }
        assertEquals(2, runs);
    }

    @Test
    void generate_levelShiftAndDrift_labelOneRunPerSensor() {
        for (int s = 0; s < DEFAULT.sensorCount(); s++) {
            List<Reading> readings = DEFAULT.sensor(s);
            for (AnomalyKind kind : List.of(AnomalyKind.LEVEL_SHIFT, AnomalyKind.DRIFT)) {
                List<Integer> steps = new ArrayList<>();
                for (int t = 0; t < readings.size(); t++) {
                    if (DEFAULT.kindOf(readings.get(t).id()) == kind) {
                        steps.add(t);
                    }
                }
                if (!steps.isEmpty()) {
                    assertEquals(steps.size() - 1, steps.get(steps.size() - 1) - steps.get(0), kind + " not one run");
                }
            }
            // A drift lasts to the end of its sensor's trace.
            if (s % 3 == 1) {
                assertEquals(AnomalyKind.DRIFT, DEFAULT.kindOf(readings.get(readings.size() - 1).id()));
            }
        }
    }

    @Test
    void generate_anySeed_idsUniqueAndTimeOrderedPerSensor() {
        Set<String> ids = new HashSet<>();
        for (int s = 0; s < DEFAULT.sensorCount(); s++) {
            String previous = "";
            for (Reading r : DEFAULT.sensor(s)) {
                assertTrue(ids.add(r.id()), "duplicate id " + r.id());
                assertEquals(SensorStream.key(s), r.key());
                assertTrue(r.timestamp().compareTo(previous) > 0, r.id());
                previous = r.timestamp();
            }
        }
        assertEquals(20_000, ids.size());
    }

    @Test
    void csvAndJson_anyReading_carryNoLabel() throws Exception {
        assertEquals("id,key,timestamp,temperature,vibration,current", Reading.CSV_HEADER);
        ObjectMapper json = new ObjectMapper();
        Set<String> fields = Set.of("id", "key", "timestamp", "temperature", "vibration", "current");
        for (Reading r : DEFAULT.readings()) {
            String csv = r.csvLine();
            assertEquals(6, csv.split(",", -1).length, csv);
            JsonNode node = json.readTree(r.json());
            Set<String> names = new HashSet<>();
            node.fieldNames().forEachRemaining(names::add);
            assertEquals(fields, names);
            assertEquals(r.id(), node.get("id").asText());
            for (String text : List.of(csv.toLowerCase(Locale.ROOT), r.json().toLowerCase(Locale.ROOT))) {
                assertFalse(text.contains("label"), text);
                for (AnomalyKind kind : AnomalyKind.values()) {
                    assertFalse(text.contains(kind.label()), text);
                }
            }
        }
    }

    @Test
    void generate_tooFewPoints_throws() {
        assertThrows(IllegalArgumentException.class, () -> SensorStream.generate(42, SensorStream.MIN_POINTS - 1, ""));
    }

    private static List<Double> values(Reading r) {
        return List.of(r.temperature(), r.vibration(), r.current());
    }
}
