package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.eval.Evaluation;
import dev.vigil.eval.LabelledData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ROC-AUC on the labelled sets of {@code ../shared/data/tabular}, every model with its recommended
 * preprocessing, as the mean over row shuffles (and model seeds) 1, 2 and 3, the method of BENCHMARKS.md and
 * of the reference figures. Skipped, with the reason, where the data is absent.
 */
@Tag("functional")
class DetectorQualityFunctionalTest {
    static final Path DATA = Path.of("..", "shared", "data", "tabular");
    /** "Clearly better than chance" on every set. */
    private static final double CLEARLY_ABOVE_CHANCE = 0.55;
    private static final int SEEDS = 3;
    private static final List<LabelledData> SETS = new ArrayList<>();

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

    private static double meanRocAuc(ModelType type, LabelledData data) {
        double sum = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(),
                    Map.of("seed", Integer.toString(seed)), type.recommendedPreprocessing(), Map.of());
            sum += Evaluation.run(data.shuffled(seed), spec).rocAuc();
        }
        return sum / SEEDS;
    }

    private static double meanRocAuc(ModelType type, String dataset) {
        return meanRocAuc(type, SETS.stream().filter(d -> d.name().equals(dataset)).findFirst().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void everyModel_everySet_clearlyAboveChance(ModelType type) {
        assumeTrue(!SETS.isEmpty(), "data sets absent at " + DATA.toAbsolutePath().normalize());
        StringBuilder below = new StringBuilder();
        for (LabelledData set : SETS) {
            double auc = meanRocAuc(type, set);
            if (auc < CLEARLY_ABOVE_CHANCE) {
                below.append(String.format(" %s=%.3f", set.name(), auc));
            }
        }
        assertTrue(below.isEmpty(), type.configName() + " below " + CLEARLY_ABOVE_CHANCE + ":" + below);
    }

    @org.junit.jupiter.api.Test
    void isolationForest_shuttleAndMammography_reachTargets() {
        assumeTrue(!SETS.isEmpty(), "data sets absent at " + DATA.toAbsolutePath().normalize());
        double shuttle = meanRocAuc(ModelType.ISOLATION_FOREST, "shuttle");
        double mammography = meanRocAuc(ModelType.ISOLATION_FOREST, "mammography");
        assertTrue(shuttle >= 0.97, "shuttle " + shuttle);
        assertTrue(mammography >= 0.80, "mammography " + mammography);
    }
}
