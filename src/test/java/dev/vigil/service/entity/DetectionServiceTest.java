package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Result;
import dev.vigil.testing.ServiceParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How a batch is scored: per key, in order, whatever the interleaving of keys in the batch. */
class DetectionServiceTest {
    private static final String[] NAMES = {"cpu", "mem"};
    private static final int KEYS = 7;

    @Test
    void score_interleavedKeys_sameScoresAsEachKeyAloneAndResultsInInputOrder() {
        List<DataPoint> points = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 1400; i++) {
            // Keys in an irregular order, as a metric stream delivers them.
            String key = "host-" + random.nextInt(KEYS);
            double bump = i % 97 == 0 ? 8 : 0;
            points.add(new DataPoint("p" + i, key, null, NAMES,
                    new double[] {random.nextGaussian() + bump, random.nextGaussian()}));
        }
        DetectionSettings settings = ServiceParts.defaults("isolation_forest");
        ServiceParts.Service mixed = ServiceParts.Service.start(settings, null, 100, 10_000);
        List<Result> results = new ArrayList<>();
        for (int from = 0; from < points.size(); from += 100) {
            results.addAll(mixed.detection().score(PointBatch.ofPoints("file", "f", points.subList(from, from + 100))));
        }

        ServiceParts.Service alone = ServiceParts.Service.start(settings, null, 100, 10_000);
        for (int k = 0; k < KEYS; k++) {
            String key = "host-" + k;
            List<DataPoint> own = points.stream().filter(p -> p.key().equals(key)).toList();
            List<Result> ownResults = alone.detection().score(PointBatch.ofPoints("file", "f", own));
            List<Result> inMixed = results.stream().filter(r -> r.point().key().equals(key)).toList();
            assertEquals(own.size(), inMixed.size(), key);
            for (int i = 0; i < own.size(); i++) {
                assertEquals(ownResults.get(i).score(), inMixed.get(i).score(), key + " point " + i);
                assertEquals(ownResults.get(i).severity(), inMixed.get(i).severity(), key + " point " + i);
            }
        }
        for (int i = 0; i < points.size(); i++) {
            assertEquals(points.get(i).id(), results.get(i).point().id(), "result " + i + " answers point " + i);
        }
    }
}
