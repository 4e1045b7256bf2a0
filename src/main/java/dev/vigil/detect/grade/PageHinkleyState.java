package dev.vigil.detect.grade;

/**
 * What a {@link PageHinkley} test holds: the scores seen since its last reset, their mean, the cumulative sum and its
 * minimum, and the statistic when it last fired. {@code header} names the part and its settings.
 */
public record PageHinkleyState(String header, long count, double mean, double sum, double minimum,
        double firedStatistic) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "page_hinkley/1";
}
