package dev.vigil.eval.nab;

import java.util.List;

/**
 * A detector's NAB result under one profile: the optimised threshold t*, the corpus score S(t*) (the sum of the
 * per-series scores at t*), the row counts at t*, the score normalised so the null detector scores 0 and the
 * perfect one 100, and the windows detected.
 */
public record ProfileResult(NabProfile profile, double threshold, double raw, int tp, int fp, int fn, int tn,
        double nullRaw, double perfect, double normalised, int windowsDetected, int windows, List<FileScore> files) {

    public ProfileResult {
        files = List.copyOf(files);
    }
}
