package dev.vigil.eval.nab;

import java.util.ArrayList;
import java.util.List;

/**
 * NAB's scorer, reimplemented: optimise one threshold over the whole corpus, score every series at it, and
 * normalise the total between the null detector (0) and the perfect detector (100). The null detector's score is
 * computed on the same corpus, as NAB does, rather than assumed.
 */
public final class NabScorer {
    private NabScorer() {
    }

    /** The detector's result under every profile, in {@link NabProfile#all()} order. */
    public static List<ProfileResult> scoreAll(NabCorpus corpus) {
        List<ProfileResult> results = new ArrayList<>();
        for (NabProfile profile : NabProfile.all()) {
            results.add(score(corpus, profile));
        }
        return results;
    }

    public static ProfileResult score(NabCorpus corpus, NabProfile profile) {
        ThresholdSweep.Optimum optimum = ThresholdSweep.optimise(corpus, profile);
        List<FileScore> files = scoreAt(corpus, optimum.threshold(), profile);
        double nullRaw = total(scoreAt(corpus.nullDetector(),
                ThresholdSweep.optimise(corpus.nullDetector(), profile).threshold(), profile));
        double perfect = profile.tpWeight() * corpus.windows();
        double raw = total(files);
        // A corpus without windows has no scale: perfect and null both score 0 there.
        double normalised = perfect == nullRaw ? Double.NaN : 100 * (raw - nullRaw) / (perfect - nullRaw);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        int detected = 0;
        int windows = 0;
        for (FileScore f : files) {
            tp += f.tp();
            fp += f.fp();
            fn += f.fn();
            tn += f.tn();
            detected += f.windowsDetected();
            windows += f.windows();
        }
        return new ProfileResult(profile, optimum.threshold(), raw, tp, fp, fn, tn, nullRaw, perfect, normalised,
                detected, windows, files);
    }

    /** Every series scored at one threshold: NAB's scoring step once the threshold is chosen. */
    public static List<FileScore> scoreAt(NabCorpus corpus, double threshold, NabProfile profile) {
        List<FileScore> files = new ArrayList<>();
        for (NabCorpus.Entry e : corpus.entries()) {
            files.add(FileScore.of(e.name(), e.rows(), e.scores(), threshold, profile));
        }
        return files;
    }

    private static double total(List<FileScore> files) {
        return files.stream().mapToDouble(FileScore::score).sum();
    }
}
