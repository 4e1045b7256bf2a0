package dev.vigil.eval.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The series a detector is scored on, each with its rows placed against its windows. NAB optimises one threshold
 * over all of them at once, so they are scored together, never one by one.
 */
public final class NabCorpus {
    /** NAB's null detector gives this score to every row; its optimised score is the zero of the scale. */
    static final double NULL_DETECTOR_SCORE = 0.5;

    record Entry(String name, WindowedRows rows, double[] scores) {
    }

    private final List<Entry> entries;

    private NabCorpus(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Places every series against its windows ({@link AnomalyWindows#entryFor} finds them by name).
     *
     * @throws IllegalArgumentException when a series has no windows entry, two series share one, or a window's
     *                                  timestamps are not among the series' rows
     */
    public static NabCorpus of(List<ScoredSeries> series, AnomalyWindows windows) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ScoredSeries s : series) {
            String entry = windows.entryFor(s.name());
            if (!seen.add(entry)) {
                throw new IllegalArgumentException("two series are scored against the windows of '" + entry + "'");
            }
            entries.add(new Entry(entry, WindowedRows.of(entry, s.timestamps(), windows.of(entry)), s.scores()));
        }
        return new NabCorpus(entries);
    }

    /**
     * The same rows and windows with other scores, one array per series in the order the corpus was made: places
     * the windows once for several detectors, and fails on a bad windows file before any detector runs.
     */
    public NabCorpus rescored(List<double[]> scores) {
        if (scores.size() != entries.size()) {
            throw new IllegalArgumentException(scores.size() + " score arrays for " + entries.size() + " series");
        }
        List<Entry> rescored = new ArrayList<>();
        for (int k = 0; k < entries.size(); k++) {
            Entry e = entries.get(k);
            ScoredSeries.check(e.name(), e.rows().rows(), scores.get(k));
            rescored.add(new Entry(e.name(), e.rows(), scores.get(k)));
        }
        return new NabCorpus(rescored);
    }

    /** The same rows and windows, scored as NAB's null detector scores them. */
    NabCorpus nullDetector() {
        List<double[]> nulls = new ArrayList<>();
        for (Entry e : entries) {
            double[] scores = new double[e.rows().rows()];
            Arrays.fill(scores, NULL_DETECTOR_SCORE);
            nulls.add(scores);
        }
        return rescored(nulls);
    }

    List<Entry> entries() {
        return entries;
    }

    /** Labelled windows over all series: the perfect detector earns A_TP for each. */
    public int windows() {
        return entries.stream().mapToInt(e -> e.rows().windows()).sum();
    }

    /** Rows over all series, probationary ones included. */
    public long rows() {
        return entries.stream().mapToLong(e -> e.rows().rows()).sum();
    }
}
