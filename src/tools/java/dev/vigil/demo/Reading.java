package dev.vigil.demo;

import java.util.Locale;

/**
 * One sensor reading as it is sent to Vigil. It has no label on purpose: labels stay in {@link SensorStream},
 * so nothing the service sees can give them away.
 */
public record Reading(String id, String key, String timestamp, double temperature, double vibration, double current) {
    public static final String CSV_HEADER = "id,key,timestamp,temperature,vibration,current";

    public String csvLine() {
        return String.format(Locale.ROOT, "%s,%s,%s,%.4f,%.4f,%.4f", id, key, timestamp, temperature, vibration,
                current);
    }

    /** A JSON object; ids, keys and timestamps are generated without quotes or backslashes, so no escaping. */
    public String json() {
        return String.format(Locale.ROOT,
                "{\"id\":\"%s\",\"key\":\"%s\",\"timestamp\":\"%s\",\"temperature\":%.4f,\"vibration\":%.4f,"
                        + "\"current\":%.4f}", id, key, timestamp, temperature, vibration, current);
    }
}
