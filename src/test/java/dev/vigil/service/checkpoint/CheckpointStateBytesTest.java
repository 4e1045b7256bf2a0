package dev.vigil.service.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.service.checkpoint.CheckpointGoldenFilesTest.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The state bytes this build writes are the bytes the golden files hold: each fixture's run is replayed (its
 * configuration, its stream, its batches, checkpointed at shutdown as the generator did) and the state blocks of
 * the new file are compared with the fixture's, byte for byte. Restoring old files (what
 * {@link CheckpointGoldenFilesTest} checks) does not show this: a writer could drift while its reader still
 * accepts the old layout, and the next build would then read files no fixture describes.
 */
class CheckpointStateBytesTest {
    @TempDir
    Path dir;

    static Stream<Golden> fixtures() throws Exception {
        return CheckpointGoldenFilesTest.fixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void checkpointAll_fixturesRunReplayed_writesTheFixturesStateBytes(Golden g) throws Exception {
        String fingerprint = g.manifest().getProperty("fingerprint");
        CheckpointCodec.Snapshot golden = CheckpointCodec.decode(Files.readAllBytes(g.file()), fingerprint);

        CheckpointCodec.Snapshot replayed = CheckpointCodec.decode(replay(g), fingerprint);

        assertEquals(golden.key(), replayed.key(), g + ": key");
        assertArrayEquals(golden.schema(), replayed.schema(), g + ": schema");
        assertEquals(golden.learned(), replayed.learned(), g + ": learned");
        assertArrayEquals(golden.pipeline(), replayed.pipeline(), g + ": pipeline state");
        assertArrayEquals(golden.fallback(), replayed.fallback(), g + ": fallback state");
        if (g.folderVersion() >= 2) {
            assertArrayEquals(golden.ranks(), replayed.ranks(), g + ": score ranks state");
        }
        if (g.folderVersion() >= 3) {
            assertArrayEquals(golden.grading(), replayed.grading(), g + ": grading state");
        }
    }

    /** The fixture's run with this build: its points learned in its batches, then every key checkpointed. */
    private byte[] replay(Golden g) throws IOException {
        CheckpointGoldenFilesGenerator.Service run = CheckpointGoldenFilesGenerator.Service.start(g.settings(), dir,
                false);
        double[][] points = g.stream();
        for (int from = 0; from < g.learned(); from += CheckpointGoldenFilesGenerator.BATCH) {
            run.detection().score(CheckpointGoldenFilesGenerator.batch(g.key(), points, from,
                    from + CheckpointGoldenFilesGenerator.BATCH));
        }
        run.registry().checkpointAll();
        List<Path> files = CheckpointFiles.newestFirst(dir, g.key());
        assertEquals(1, files.size(), g + ": one checkpoint written");
        return Files.readAllBytes(files.get(0));
    }
}
