package dev.vigil.demo;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's report: what was sent and answered, the severities, and how well {@code isAnomaly} matches the
 * injected labels, overall (precision, recall, F1) and per kind (recall). Only readings with a result count
 * towards the detection figures.
 */
final class Summary {
    private static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    private final SensorStream stream;
    private final Map<String, Outcome> outcomes;
    private final Map<String, Integer> severities = new LinkedHashMap<>();
    private final Map<String, Integer> models = new TreeMap<>();
    private final Map<AnomalyKind, int[]> byKind = new EnumMap<>(AnomalyKind.class);
    private int truePositives;
    private int falsePositives;
    private int falseNegatives;
    private int ordinary;

    Summary(SensorStream stream, Map<String, Outcome> outcomes) {
        this.stream = stream;
        this.outcomes = outcomes;
        SEVERITIES.forEach(s -> severities.put(s, 0));
        for (AnomalyKind kind : AnomalyKind.values()) {
            byKind.put(kind, new int[2]); // labelled, found
        }
        for (Outcome o : outcomes.values()) {
            count(o);
        }
    }

    private void count(Outcome o) {
        severities.merge(o.severity(), 1, Integer::sum);
        models.merge(o.model() + " " + o.state(), 1, Integer::sum);
        AnomalyKind kind = stream.kindOf(o.id());
        if (kind == null) {
            ordinary++;
            falsePositives += o.anomaly() ? 1 : 0;
            return;
        }
        int[] kindCounts = byKind.get(kind);
        kindCounts[0]++;
        if (o.anomaly()) {
            kindCounts[1]++;
            truePositives++;
        } else {
            falseNegatives++;
        }
    }

    double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Recall of one kind: labelled readings of that kind flagged as anomalies. */
    double recall(AnomalyKind kind) {
        int[] c = byKind.get(kind);
        return ratio(c[1], c[0]);
    }

    /** The whole report. */
    void print(PrintStream out, Run run) {
        int labelled = truePositives + falseNegatives;
        out.println();
        out.println(f("Vigil demo: %d readings from %d sensors, seed %d", stream.size(), stream.sensorCount(),
                run.seed()));
        row(out, "service", run.service());
        row(out, "sent", f("%d (file %d, http %d)%s", run.sentFile() + run.sentHttp(), run.sentFile(),
                run.sentHttp(), run.notSent() > 0 ? ", not sent " + run.notSent() : ""));
        row(out, "results", f("%d (missing %d)", outcomes.size(), run.missing().size()));
        row(out, "rejected", run.rejected() == 0 ? "0" : run.rejected() + ": " + run.rejectedReasons());
        row(out, "severity", joined(severities));
        row(out, "scored by", joined(models));
        row(out, "throughput", f("%.0f readings/s (%d results in %.2f s, first send to last result)",
                run.seconds() > 0 ? outcomes.size() / run.seconds() : 0.0, outcomes.size(), run.seconds()));

        if (run.rejected() > 0) {
            out.println();
            out.println(f("The service rejected %d of the %d readings: the figures below cover only the %d it scored."
                    + " The stream is valid as generated, so the service disagrees with it (its keys may already have"
                    + " another schema: use a fresh service, or another --seed).", run.rejected(),
                    run.rejected() + outcomes.size(), outcomes.size()));
        }
        out.println();
        out.println(f("isAnomaly against the labels (%d labelled, %.1f %% of the results)", labelled,
                100.0 * ratio(labelled, outcomes.size())));
        row(out, "precision", f("%.3f (%d of %d flagged are labelled)", precision(), truePositives,
                truePositives + falsePositives));
        row(out, "recall", f("%.3f (%d of %d labelled are flagged)", recall(), truePositives, labelled));
        row(out, "F1", f("%.3f", f1()));
        row(out, "false alarms", f("%d of %d ordinary readings (%.2f %%)", falsePositives, ordinary,
                100.0 * ratio(falsePositives, ordinary)));
        out.println();
        out.println(f("  %-14s %8s %8s %8s", "kind", "labelled", "flagged", "recall"));
        byKind.forEach((kind, c) -> out.println(f("  %-14s %8d %8d %8.3f", kind.label(), c[0], c[1],
                recall(kind))));
        if (!run.missing().isEmpty()) {
            out.println();
            out.println(f("missing results: %d, e.g. %s", run.missing().size(),
                    String.join(", ", run.missing().subList(0, Math.min(5, run.missing().size())))));
        }
    }

    private static void row(PrintStream out, String name, String value) {
        out.println(f("  %-14s %s", name, value));
    }

    private static String joined(Map<String, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((name, n) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(n));
        return text.length() == 0 ? "none" : text.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** How the run went, besides the results themselves. */
    record Run(long seed, String service, int sentFile, int sentHttp, int notSent, int rejected,
            String rejectedReasons, List<String> missing, double seconds) {
    }
}
