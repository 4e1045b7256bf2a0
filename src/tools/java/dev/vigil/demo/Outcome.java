package dev.vigil.demo;

/** What the service answered for one reading: the fields of a result line the demo reports on. */
public record Outcome(String id, String source, String severity, boolean anomaly, String model, String state) {
}
