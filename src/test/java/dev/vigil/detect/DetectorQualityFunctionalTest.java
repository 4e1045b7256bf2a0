package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.eval.Evaluation;
import dev.vigil.eval.LabelledData;
import dev.vigil.testing.ParallelSafe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ROC-AUC on the labelled sets of {@code ../shared/data/tabular}, every model with its recommended
 * preprocessing, as the mean over row shuffles (and model seeds) 1, 2 and 3, the method of BENCHMARKS.md and
 * of the reference figures. Skipped, with the reason, where the data is absent.
 *
 * <p>Cheaper than computing every figure, with the same verdicts: each (model, set, seed) is evaluated at most once
 * for both tests, the sets of a model are evaluated two at a time, and the last seed is skipped where the others
 * already settle "clearly above chance" (a ROC-AUC is never below 0, so once the other seeds sum to three times the
 * bound, so does the mean).
 */
@Tag("functional")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ParallelSafe
class DetectorQualityFunctionalTest {
    static final Path DATA = Path.of("..", "shared", "data", "tabular");
    /** "Clearly better than chance" on every set. */
    private static final double CLEARLY_ABOVE_CHANCE = 0.55;
    private static final int SEEDS = 3;
    private static final List<LabelledData> SETS = new ArrayList<>();
    /** ROC-AUC by model, set and seed, computed once. */
    private static final Map<String, Double> ROC_AUC = new ConcurrentHashMap<>();

    @BeforeAll
    static void readSets() throws IOException {
        if (!Files.isDirectory(DATA)) {
            return;
        }
        try (Stream<Path> files = Files.list(DATA)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv.gz")).sorted().toList()) {
                SETS.add(LabelledData.read(f));
            }
        }
    }

    private static double rocAuc(ModelType type, LabelledData data, int seed) {
        String key = type + "/" + data.name() + "/" + seed;
        Double known = ROC_AUC.get(key);
        if (known != null) {
            return known;
        }
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(),
                Map.of("seed", Integer.toString(seed)), type.recommendedPreprocessing(), Map.of());
        double auc = Evaluation.run(data.shuffled(seed), spec).rocAuc();
        ROC_AUC.put(key, auc);
        return auc;
    }

    private static double meanRocAuc(ModelType type, LabelledData data) {
        double sum = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            sum += rocAuc(type, data, seed);
        }
        return sum / SEEDS;
    }

    private static double meanRocAuc(ModelType type, String dataset) {
        return meanRocAuc(type, SETS.stream().filter(d -> d.name().equals(dataset)).findFirst().orElseThrow());
    }

    /** The mean ROC-AUC of {@code type} on {@code data} when it is below the bound, else null. */
    private static String belowChance(ModelType type, LabelledData data) {
        double others = 0;
        for (int seed = 1; seed < SEEDS; seed++) {
            others += rocAuc(type, data, seed);
        }
        if (others >= SEEDS * CLEARLY_ABOVE_CHANCE) {
            return null;
        }
        double mean = (others + rocAuc(type, data, SEEDS)) / SEEDS;
        return mean < CLEARLY_ABOVE_CHANCE ? String.format(Locale.ROOT, " %s=%.3f", data.name(), mean) : null;
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void everyModel_everySet_clearlyAboveChance(ModelType type) {
        assumeTrue(!SETS.isEmpty(), "data sets absent at " + DATA.toAbsolutePath().normalize());
        String below = SETS.parallelStream().map(set -> belowChance(type, set)).filter(Objects::nonNull)
                .collect(Collectors.joining());
        assertTrue(below.isEmpty(), type.configName() + " below " + CLEARLY_ABOVE_CHANCE + ":" + below);
    }

    @Test
    void isolationForest_shuttleAndMammography_reachTargets() {
        assumeTrue(!SETS.isEmpty(), "data sets absent at " + DATA.toAbsolutePath().normalize());
        double shuttle = meanRocAuc(ModelType.ISOLATION_FOREST, "shuttle");
        double mammography = meanRocAuc(ModelType.ISOLATION_FOREST, "mammography");
        assertTrue(shuttle >= 0.97, "shuttle " + shuttle);
        assertTrue(mammography >= 0.80, "mammography " + mammography);
    }
}
