package dev.vigil.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static final SensorStream STREAM = SensorStream.generate(42, 5_000, "t-");

    /** Flags every spike and one ordinary reading, nothing else. */
    private static Map<String, Outcome> spikesAndOneFalseAlarm() {
        Map<String, Outcome> outcomes = new HashMap<>();
        boolean falseAlarm = false;
        for (Reading r : STREAM.readings()) {
            boolean flagged = STREAM.kindOf(r.id()) == AnomalyKind.SPIKE;
            if (!flagged && !falseAlarm && !STREAM.isAnomaly(r.id())) {
                flagged = true;
                falseAlarm = true;
            }
            outcomes.put(r.id(), new Outcome(r.id(), "file", flagged ? "high" : "low", flagged, "isolation_forest",
                    "healthy"));
        }
        return outcomes;
    }

    @Test
    void metrics_spikesFlagged_countPrecisionRecallAndRecallPerKind() {
        Summary summary = new Summary(STREAM, spikesAndOneFalseAlarm());
        int spikes = STREAM.labelCounts().get(AnomalyKind.SPIKE);
        assertEquals(spikes / (spikes + 1.0), summary.precision(), 1e-12);
        assertEquals(spikes / (double) STREAM.labelCount(), summary.recall(), 1e-12);
        assertEquals(1.0, summary.recall(AnomalyKind.SPIKE));
        assertEquals(0.0, summary.recall(AnomalyKind.STUCK));
        double p = summary.precision();
        double r = summary.recall();
        assertEquals(2 * p * r / (p + r), summary.f1(), 1e-12);
    }

    @Test
    void print_anyRun_listsCountsAndEveryKind() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Summary(STREAM, spikesAndOneFalseAlarm()).print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new Summary.Run(42, "http://127.0.0.1:1", 4250, 750, 0, 0, "", List.of(), 2.5));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("5000 (file 4250, http 750)"), text);
        assertTrue(text.contains("results        5000 (missing 0)"), text);
        assertTrue(text.contains("2000 readings/s"), text);
        for (AnomalyKind kind : AnomalyKind.values()) {
            assertTrue(text.contains(kind.label()), kind.label());
        }
        assertTrue(text.contains("rejected       0\n"), text);
        assertTrue(!text.contains("The service rejected"), text);
    }

    @Test
    void print_readingsRejected_saysWhyAndThatTheFiguresCoverOnlyTheScored() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Outcome> scored = new HashMap<>(spikesAndOneFalseAlarm());
        List<String> rejected = STREAM.readings().stream().map(Reading::id).limit(600).toList();
        rejected.forEach(scored::remove);
        new Summary(STREAM, scored).print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new Summary.Run(42, "http://127.0.0.1:1", 4250, 750, 0, 600,
                        "schema_mismatch 600 (e.g. \"features differ from the key's schema\")", List.of(), 2.5));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("rejected       600: schema_mismatch 600"), text);
        assertTrue(text.contains("The service rejected 600 of the 5000 readings: the figures below cover only the 4400"),
                text);
    }
}
