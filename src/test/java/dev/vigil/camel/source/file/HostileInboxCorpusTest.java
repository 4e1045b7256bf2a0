package dev.vigil.camel.source.file;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testing.CorpusVerdict;
import dev.vigil.testing.HostileCorpus;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.SinkTally;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HostileCorpus} cases (2,000 by default, {@link HostileCorpus#cases()}) as inbox files through a real
 * folder: JSON cases as lines of JSON-lines files (50 a file, every fourth file with CRLF endings), each CSV case
 * as a file of its own, and a third of the empty, binary, huge-line and BOM cases as single-case files. Every
 * non-blank line must end as a result or a rejection naming its reason, and every file in {@code .done} (none is
 * unreadable, so none may fail); no route stops, the service stays ready, the heap stays bounded, and an ordinary
 * file still scores afterwards.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileInboxCorpusTest {
    static final TestDirs DIRS = TestProfiles.Base.DIRS;
    static final long SEED = 20_261_128L;
    static final int LINES_PER_FILE = 50;
    /** This test's files are named so: the inbox is shared with other tests of the profile. */
    static final String PREFIX = "hostile-";
    private static final Set<HostileCorpus.Kind> SINGLE_FILE_KINDS = Set.of(HostileCorpus.Kind.EMPTY,
            HostileCorpus.Kind.BINARY, HostileCorpus.Kind.HUGE_LINE, HostileCorpus.Kind.BOM);
    private static final String[] JSON_EXTENSIONS = {".jsonl", ".ndjson", ".json"};

    @Inject
    CamelContext camel;

    /** Writes beside the inbox, then moves the file in, so the route never sees it half written. */
    private static void drop(String name, byte[] content) {
        try {
            Files.createDirectories(DIRS.inbox());
            Path tmp = DIRS.inbox().resolveSibling("." + PREFIX + name + ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, DIRS.inbox().resolve(PREFIX + name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This test's files in {@code dir}. */
    private static long filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith(PREFIX)).count();
        }
    }

    @Test
    void hostileCases_inFiles_everyLineAccountedEveryFileDone_routesStartedReadyBoundedAndScoring() throws Exception {
        HostileCorpus corpus = new HostileCorpus(SEED);
        int cases = HostileCorpus.cases();
        Map<HostileCorpus.Kind, Integer> mix = new EnumMap<>(HostileCorpus.Kind.class);
        long expected = 0;
        long bytes = 0;
        int files = 0;
        CorpusVerdict verdict = new CorpusVerdict("HostileInboxCorpusTest", "file", DIRS, camel);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int linesInFile = 0;
        for (int i = 0; i < cases; i++) {
            HostileCorpus.Case c = corpus.get(i);
            mix.merge(c.kind(), 1, Integer::sum);
            expected += c.fileOutcomes();
            bytes += c.body().length;
            if (c.csv()) {
                drop("case-" + i + ".csv", c.body());
                files++;
            } else if (SINGLE_FILE_KINDS.contains(c.kind()) && i % 3 == 0) {
                drop("case-" + i + JSON_EXTENSIONS[(i / 3) % 3], c.body());
                files++;
            } else {
                lines.writeBytes(c.body());
                lines.writeBytes(files % 4 == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
                if (++linesInFile == LINES_PER_FILE) {
                    drop("lines-" + i + JSON_EXTENSIONS[files % 3], lines.toByteArray());
                    files++;
                    lines.reset();
                    linesInFile = 0;
                }
            }
        }
        if (linesInFile > 0) {
            drop("lines-last.jsonl", lines.toByteArray());
            files++;
        }
        verdict.print("seed %d, %d cases (%.1f MB) in %d files written in %.1f s", SEED, cases, bytes / 1e6, files,
                verdict.seconds());
        SinkTally tally = verdict.finish(expected, mix);

        int all = files;
        await().atMost(Duration.ofSeconds(30)).until(() -> filesIn(DIRS.inbox().resolve(".done"))
                + filesIn(DIRS.inbox().resolve(".error")) == all);
        verdict.print("files %d: %d done, %d failed, %d left in the inbox", files, filesIn(DIRS.inbox().resolve(".done")),
                filesIn(DIRS.inbox().resolve(".error")), filesIn(DIRS.inbox()));
        assertEquals(0, filesIn(DIRS.inbox().resolve(".error")), "files moved to .error (none is unreadable)");
        assertEquals(0, filesIn(DIRS.inbox()), "files left in the inbox");

        verdict.assertOrdinaryPointScores(tally, () -> SensorData.drop(DIRS.inbox(), PREFIX + "after-corpus.csv",
                SensorData.CSV_HEADER + "\n" + SensorData.csv("after-file-corpus", "after-file", new SensorData(1).normal())
                        + "\n"));
    }
}
