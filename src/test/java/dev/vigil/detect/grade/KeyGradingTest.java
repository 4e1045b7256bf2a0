package dev.vigil.detect.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.state.StateCodec;
import dev.vigil.detect.state.StateMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KeyGradingTest {
    private static final Grading FIXED = new Grading(Grading.Mode.FIXED, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES);
    private static final Grading LIKELIHOOD = new Grading(Grading.Mode.LIKELIHOOD, Thresholds.DEFAULT,
            Grading.DEFAULT_RARITIES);

    /** Every model in fixed mode, a new key: none of its first points is critical (knn's second point was). */
    @ParameterizedTest
    @EnumSource(ModelType.class)
    void grade_newKeyFirstPoints_neverCritical(ModelType type) {
        for (long seed = 1; seed <= 5; seed++) {
            PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(), Map.of(),
                    type.recommendedPreprocessing(), Map.of());
            Pipeline pipeline = spec.newPipeline(3);
            KeyGrading grading = new KeyGrading(FIXED, type.warmup(), 0, new ScoreRanks(20_000), 3);
            Random random = new Random(seed);
            for (int i = 0; i < type.warmup(); i++) {
                double[] p = {random.nextGaussian(), 10 + random.nextGaussian(), random.nextInt(3)};
                KeyGrading.Grade g = grading.grade(pipeline.scoreLearn(p), p);
                assertTrue(g.warmup(), type + " point " + i);
                assertEquals(Severity.LOW, g.severity(), type + " point " + i);
                assertFalse(g.anomaly(), type + " point " + i);
            }
            double[] p = {0, 10, 1};
            assertFalse(grading.grade(pipeline.scoreLearn(p), p).warmup(), type + ": warm after " + type.warmup());
        }
    }

    @Test
    void grade_warmupScores_stayOutOfTheRanks() {
        ScoreRanks ranks = new ScoreRanks(1000);
        KeyGrading grading = new KeyGrading(FIXED, 10, 0, ranks, 1);
        for (int i = 0; i < 10; i++) {
            grading.grade(1.0, new double[] {i});
        }
        assertEquals(0, ranks.size());
        grading.grade(0.5, new double[] {0});
        assertEquals(1, ranks.size());
    }

    @Test
    void grade_anomaliesWithinTheGap_oneEvent() {
        KeyGrading grading = new KeyGrading(FIXED, 0, 5, new ScoreRanks(1000), 1);
        double[] v = {0};
        List<KeyGrading.Grade> grades = new ArrayList<>();
        double[] scores = {0.1, 0.75, 0.1, 0.72, 0.95, 0.75, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.75};
        for (double s : scores) {
            grades.add(grading.grade(s, v));
        }
        // Point 2 opens event 2; 4 and 6 join it (6 is a repeat, 5 escalates to critical); 13 is 7 points later.
        assertEquals(2, grades.get(1).event());
        assertTrue(grades.get(1).eventStart());
        assertFalse(grades.get(1).repeat());
        assertEquals(2, grades.get(3).event());
        assertTrue(grades.get(3).repeat(), "medium again within the gap");
        assertEquals(2, grades.get(4).event());
        assertFalse(grades.get(4).repeat(), "critical is above what the event reached");
        assertTrue(grades.get(5).repeat());
        assertEquals(0, grades.get(6).event());
        assertEquals(13, grades.get(12).event());
        assertTrue(grades.get(12).eventStart());
    }

    @Test
    void grade_gapZero_everyAnomalyItsOwnEvent() {
        KeyGrading grading = new KeyGrading(FIXED, 0, 0, new ScoreRanks(1000), 1);
        grading.grade(0.8, new double[] {0});
        KeyGrading.Grade second = grading.grade(0.8, new double[] {0});
        assertEquals(2, second.event());
        assertTrue(second.eventStart());
    }

    /** A stationary stream, then a run of high scores: the likelihood stays ordinary, then calls the run once. */
    @Test
    void likelihood_runOfHighScores_flaggedOnceThenCapped() {
        AnomalyLikelihood l = new AnomalyLikelihood();
        Random random = new Random(7);
        double max = 0;
        for (int i = 0; i < 2000; i++) {
            double v = l.next(0.4 + 0.05 * random.nextGaussian());
            if (i >= 200) {
                max = Math.max(max, v);
            }
        }
        assertTrue(max < 0.99999, "no red on the stationary stream, max " + max);
        List<Double> run = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            run.add(l.next(0.9));
        }
        long red = run.stream().filter(v -> v >= 0.99999).count();
        assertEquals(1, red, "one red per run: " + run);
    }

    @Test
    void likelihood_restoredMidStream_equalsUninterrupted() throws IOException {
        Random random = new Random(3);
        double[] scores = new double[3000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 0.4 + 0.05 * random.nextGaussian() + (i % 700 == 0 ? 0.5 : 0);
        }
        KeyGrading whole = new KeyGrading(LIKELIHOOD, 50, 20, new ScoreRanks(1000), 1);
        KeyGrading first = new KeyGrading(LIKELIHOOD, 50, 20, new ScoreRanks(1000), 1);
        List<KeyGrading.Grade> expected = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            expected.add(whole.grade(scores[i], new double[] {scores[i]}));
        }
        int cut = 1234;
        for (int i = 0; i < cut; i++) {
            first.grade(scores[i], new double[] {scores[i]});
        }
        ScoreRanks ranks = new ScoreRanks(1000);
        copy(first.ranks(), ranks, new ScoreRanksStateMapper(), new ScoreRanksStateCodec());
        KeyGrading restored = new KeyGrading(LIKELIHOOD, 50, 20, ranks, 1);
        copy(first, restored, new KeyGradingStateMapper(), new KeyGradingStateCodec());
        for (int i = cut; i < scores.length; i++) {
            assertEquals(expected.get(i), restored.grade(scores[i], new double[] {scores[i]}), "point " + i);
        }
        assertTrue(expected.stream().anyMatch(KeyGrading.Grade::anomaly), "the stream has anomalies to compare");
    }

    /** Whether a point is explained is decided before the model learns it: on the severity its grade will get. */
    @ParameterizedTest
    @EnumSource(Grading.Mode.class)
    void severityOf_everyPoint_theSeverityItsGradeGets(Grading.Mode mode) {
        KeyGrading grading = new KeyGrading(new Grading(mode, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES), 50, 10,
                new ScoreRanks(1000), 1);
        Random random = new Random(9);
        Set<Severity> seen = EnumSet.noneOf(Severity.class);
        for (int i = 0; i < 5000; i++) {
            double[] v = {random.nextGaussian() + (i % 500 == 499 ? 6 : 0)};
            double score = Math.min(1, Math.abs(v[0]) / 4);
            Severity expected = grading.severityOf(score, v);
            assertEquals(expected, grading.grade(score, v).severity(), mode + ", point " + i);
            seen.add(expected);
        }
        assertTrue(seen.size() >= 3, mode + ": severities seen " + seen);
    }

    @Test
    void grade_readingBeyondTheKeysRange_likelihoodOne() {
        KeyGrading grading = new KeyGrading(LIKELIHOOD, 0, 0, new ScoreRanks(1000), 1);
        Random random = new Random(5);
        for (int i = 0; i < 300; i++) {
            grading.grade(0.4, new double[] {random.nextDouble()});
        }
        KeyGrading.Grade g = grading.grade(0.4, new double[] {1.2});
        assertEquals(1.0, g.likelihood());
        assertEquals(Severity.CRITICAL, g.severity());
    }

    /** {@code from}'s state into {@code to}, through its bytes as a checkpoint holds it. */
    private static <M, S> void copy(M from, M to, StateMapper<M, S> mapper, StateCodec<M, S> codec)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        codec.write(new DataOutputStream(bytes), mapper.toState(from));
        mapper.toModel(codec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), to), to);
    }
}
