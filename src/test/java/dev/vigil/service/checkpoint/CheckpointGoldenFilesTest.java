// The rule: golden checkpoint files are never regenerated, edited or replaced. Each folder
// src/test/resources/checkpoint/v<N>/ was written once, by the code that wrote format version N
// (CheckpointGoldenFilesGenerator, at the commit its manifests name), and must restore forever. A new format
// version adds a folder v<N+1> beside the others. The only edit a manifest may get: where a later change
// intentionally alters an old file's scores, add "next.changed.by=<commit>: <why>"; the file must then still
// restore, with its learned count and schema.
package dev.vigil.service.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.TransformType;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.entity.DetectionService;
import dev.vigil.service.entity.EntityRegistry;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoint files written by every released format version restore with this build, through the service's own
 * restore paths (at start, and on a key's first point), and score the next points of their stream exactly as the
 * run that wrote them did. Plain JUnit: the service layer is built as {@link CheckpointRestartTest} builds it.
 */
class CheckpointGoldenFilesTest {
    private static final int HEADER = 4 + 2 + 4;

    @TempDir
    Path dir;

    /** One golden file: the version its folder names, the file, and its manifest. */
    record Golden(int folderVersion, Path file, Properties manifest) {
        String key() {
            return manifest.getProperty("key");
        }

        String[] schema() {
            return manifest.getProperty("schema").split(",");
        }

        /** The manifest's vigil.* keys: the configuration the file was written under. */
        DetectionSettings settings() {
            Map<String, String> config = new LinkedHashMap<>();
            for (String name : manifest.stringPropertyNames()) {
                if (name.startsWith("vigil.")) {
                    config.put(name, manifest.getProperty(name));
                }
            }
            return CheckpointGoldenFilesGenerator.settings(config);
        }

        double[][] stream() {
            return CheckpointGoldenFilesGenerator.stream(Long.parseLong(manifest.getProperty("stream.seed")),
                    learned() + CheckpointGoldenFilesGenerator.NEXT);
        }

        int learned() {
            return Integer.parseInt(manifest.getProperty("learned"));
        }

        @Override
        public String toString() {
            return "v" + folderVersion + "/" + file.getFileName();
        }
    }

    /** The service layer over one checkpoint folder, with its meters (the refusals are counted there). */
    record Service(EntityRegistry registry, Checkpoints checkpoints, DetectionService detection,
            SimpleMeterRegistry meters) {
        static Service start(DetectionSettings settings, Path dir, boolean restoreAtStart) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Checkpoints checkpoints = new Checkpoints(settings, new VigilMetrics(meters), dir, 1_000_000, 3);
            EntityRegistry registry = new EntityRegistry(100, Long.MAX_VALUE, checkpoints);
            if (restoreAtStart) {
                registry.restoreAtStart();
            }
            return new Service(registry, checkpoints, new DetectionService(settings, registry, checkpoints), meters);
        }

        /** Refusals by reason, e.g. {checksum=1}. */
        Map<String, Double> refusals() {
            return meters.find("vigil.checkpoint.refused").counters().stream()
                    .collect(Collectors.toMap(c -> c.getId().getTag("reason"), Counter::count));
        }
    }

    static Path root() throws URISyntaxException {
        URL url = CheckpointGoldenFilesTest.class.getResource("/checkpoint");
        assertNotNull(url, "src/test/resources/checkpoint is on the test classpath");
        return Path.of(url.toURI());
    }

    static List<Path> versionFolders() throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("v\\d+")).sorted()
                    .toList();
        }
    }

    static Stream<Golden> fixtures() throws IOException, URISyntaxException {
        List<Golden> result = new ArrayList<>();
        for (Path folder : versionFolders()) {
            int version = Integer.parseInt(folder.getFileName().toString().substring(1));
            try (Stream<Path> s = Files.list(folder)) {
                for (Path m : s.filter(p -> p.toString().endsWith(".properties")).sorted().toList()) {
                    Properties manifest = new Properties();
                    try (Reader r = Files.newBufferedReader(m, StandardCharsets.UTF_8)) {
                        manifest.load(r);
                    }
                    result.add(new Golden(version, folder.resolve(manifest.getProperty("file")), manifest));
                }
            }
        }
        return result.stream();
    }

    /** Puts the file where the writing code's store put it, so the store's own folder naming is tested too. */
    private Path place(Golden g, byte[] bytes) throws IOException {
        Path target = dir.resolve(g.manifest().getProperty("store.path"));
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
        return dir;
    }

    private static List<Result> scoreNext(Service s, Golden g) {
        int from = g.learned();
        return s.detection().score(CheckpointGoldenFilesGenerator.batch(g.key(), g.stream(), from,
                from + CheckpointGoldenFilesGenerator.NEXT));
    }

    /**
     * The results against the manifest: scores as the uninterrupted run gave them; rarity, severity and anomaly (and
     * since version 3 likelihood, warm-up, event and repeat) as the writing code gave them after restoring this file
     * ({@code restored.*} where they differ: version 1 files hold no score ranks, which start afresh).
     */
    private static void assertNext(Golden g, List<Result> results) {
        assertEquals(CheckpointGoldenFilesGenerator.NEXT, results.size());
        if (g.manifest().getProperty("next.changed.by") != null) {
            return; // a documented, intentional change of scores: restoring is what still must hold
        }
        for (int i = 0; i < results.size(); i++) {
            int n = g.learned() + i;
            String[] next = g.manifest().getProperty("next." + n).split(" ");
            String[] graded = g.manifest().getProperty("restored." + n, g.manifest().getProperty("next." + n))
                    .split(" ");
            Result r = results.get(i);
            assertEquals(Double.parseDouble(next[0]), r.score(), g + ": score of point " + n);
            assertEquals(Double.parseDouble(graded[1]), r.rarity(), g + ": rarity of point " + n);
            assertEquals(graded[2], r.severity().label(), g + ": severity of point " + n);
            assertEquals(Boolean.parseBoolean(graded[3]), r.anomaly(), g + ": anomaly of point " + n);
            if (graded.length > 4) {
                assertEquals(Double.parseDouble(graded[4]), r.likelihood(), g + ": likelihood of point " + n);
                assertEquals(Boolean.parseBoolean(graded[5]), r.warmup(), g + ": warm-up of point " + n);
                assertEquals(Long.parseLong(graded[6]), r.event(), g + ": event of point " + n);
                assertEquals(Boolean.parseBoolean(graded[7]), r.repeat(), g + ": repeat of point " + n);
            }
        }
    }

    /** Restored without refusal, with the learned count and schema the file holds (plus what was scored since). */
    private static void assertRestored(Golden g, Service s, int scoredSince) {
        assertEquals(Map.of(), s.refusals(), g + ": refused (the manifest's fingerprint is "
                + g.manifest().getProperty("fingerprint") + ")");
        assertEquals(1, s.checkpoints().restored(), g + ": restored");
        EntityRegistry.Entity e = s.registry().entity(g.key(), g.schema());
        assertEquals(g.learned() + scoredSince, e.learned(), g + ": points learned");
        assertArrayEquals(g.schema(), e.schema().names(), g + ": schema");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void restoreAtStart_goldenFile_scoresTheNextPointsAsItsManifestSays(Golden g) throws IOException {
        Service s = Service.start(g.settings(), place(g, Files.readAllBytes(g.file())), true);

        assertEquals(1, s.registry().size(), g + ": restored before any point; refusals " + s.refusals());
        assertRestored(g, s, 0);
        assertNext(g, scoreNext(s, g));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void firstPointOfItsKey_goldenFile_restoredAndScoresAsItsManifestSays(Golden g) throws IOException {
        Service s = Service.start(g.settings(), place(g, Files.readAllBytes(g.file())), false);
        assertEquals(0, s.registry().size());

        List<Result> results = scoreNext(s, g);

        assertRestored(g, s, CheckpointGoldenFilesGenerator.NEXT);
        assertNext(g, results);
    }

    /** A file written by a newer build must not stand in for an old one: its header says which version wrote it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void header_goldenFile_carriesTheVersionOfItsFolder(Golden g) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(g.file()));

        assertEquals(CheckpointCodec.MAGIC, b.getInt(), g + ": magic");
        assertEquals(g.folderVersion(), b.getShort(), g + ": format version in the header");
        assertEquals(String.valueOf(g.folderVersion()), g.manifest().getProperty("format.version"));
        assertEquals(Integer.parseInt(g.manifest().getProperty("file.size")), b.capacity(), g + ": file size");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void restoreAtStart_goldenFileWithOneByteFlipped_refusedForChecksum(Golden g) throws IOException {
        byte[] bytes = Files.readAllBytes(g.file());
        int payload = ByteBuffer.wrap(bytes).getInt(6);
        bytes[HEADER + payload / 2] ^= 0x01;

        Service s = Service.start(g.settings(), place(g, bytes), true);

        assertEquals(0, s.registry().size(), g + ": a damaged file is not restored");
        assertEquals(Map.of("checksum", 1.0), s.refusals(), g.toString());
    }

    /** The expected scores hold only for the stream the manifest describes: its first and last points. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void stream_manifestSeed_reproducesTheManifestsPoints(Golden g) {
        double[][] points = g.stream();
        for (int i : new int[] {0, points.length - 1}) {
            double[] expected = Arrays.stream(g.manifest().getProperty("stream.point." + i).split(","))
                    .mapToDouble(Double::parseDouble).toArray();
            assertArrayEquals(expected, points[i], g + ": point " + i);
        }
    }

    /** A build that writes a new format version fails here until that version's fixtures are added. */
    @Test
    void versionFolders_everyFormatVersionUpToTheCurrent_holdFixtures() throws IOException, URISyntaxException {
        Set<Integer> withFixtures = fixtures().map(Golden::folderVersion).collect(Collectors.toSet());
        for (int v = 1; v <= CheckpointCodec.VERSION; v++) {
            assertTrue(withFixtures.contains(v), "no golden checkpoint files of format version " + v);
        }
        assertEquals(CheckpointCodec.VERSION, versionFolders().size(), "a folder per format version, no other");
    }

    @Test
    void currentVersionFolder_everyModelAndTransform_covered() throws IOException, URISyntaxException {
        Set<String> models = new HashSet<>();
        Set<String> transforms = new HashSet<>();
        fixtures().filter(g -> g.folderVersion() == CheckpointCodec.VERSION).forEach(g -> {
            models.add(g.manifest().getProperty("vigil.model.type"));
            String pre = g.manifest().getProperty("vigil.preprocessing");
            if (!pre.isBlank()) {
                transforms.addAll(Arrays.asList(pre.split(",")));
            }
        });
        for (ModelType m : ModelType.values()) {
            assertTrue(models.contains(m.configName()), "no golden file of model " + m.configName());
        }
        for (TransformType t : TransformType.values()) {
            assertTrue(transforms.contains(t.configName()), "no golden file with transform " + t.configName());
        }
    }

    @Test
    void versionFolders_everyCheckpointFile_hasItsManifest() throws IOException, URISyntaxException {
        Set<Path> described = fixtures().map(Golden::file).collect(Collectors.toSet());
        for (Path folder : versionFolders()) {
            try (Stream<Path> s = Files.list(folder)) {
                for (Path f : s.filter(p -> !p.toString().endsWith(".properties")).toList()) {
                    if (!described.contains(f)) {
                        fail(f + " has no manifest");
                    }
                }
            }
        }
        assertFalse(described.isEmpty());
    }
}
