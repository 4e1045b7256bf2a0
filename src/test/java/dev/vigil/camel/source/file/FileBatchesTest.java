package dev.vigil.camel.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RejectReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox splitter streams: a batch needs only its own lines, whatever the size of the file or of its lines, and a
 * file is read to the end its writer left, not the end it had when it was taken.
 */
class FileBatchesTest {
    @TempDir
    Path inbox;

    private FileBatches batches(Map<String, String> properties) {
        VigilConfig config = new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(VigilConfig.class);
        VigilMetrics metrics = new VigilMetrics(new SimpleMeterRegistry());
        return new FileBatches(config, new InboxFiles(inbox, 1 << 30, 3, metrics), new InboxReads(config, metrics),
                metrics);
    }

    private FileBatches batches() {
        return batches(Map.of("vigil.batch.size", "100", "vigil.inbox.max-line-length", "10000",
                "vigil.inbox.read-lock-interval", "200"));
    }

    private static Iterator<PointBatch> split(FileBatches batches, Path file) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME_ONLY, file.getFileName().toString());
        exchange.getMessage().setHeader(FileConstants.FILE_ABSOLUTE_PATH, file.toString());
        return batches.split(exchange);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(inbox.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** An endless CSV, generated as it is read, counting the bytes handed out. */
    private static final class EndlessCsv extends InputStream {
        private final byte[] header = "id,a,b\n".getBytes(StandardCharsets.US_ASCII);
        private final byte[] row = "x,1.5,2.5\n".getBytes(StandardCharsets.US_ASCII);
        long served;

        @Override
        public int read() {
            byte b = served < header.length ? header[(int) served] : row[(int) ((served - header.length) % row.length)];
            served++;
            return b;
        }
    }

    @Test
    void lineBatches_endlessInput_readsOnlyWhatTheFirstBatchesNeed() {
        EndlessCsv file = new EndlessCsv();
        Iterator<PointBatch> it = new LineBatches(file, "endless.csv", "file", "endless.csv", "default", true,
                new LineBatches.Bounds(100, 1 << 22, 10_000));
        for (int i = 0; i < 3; i++) {
            assertEquals(100, it.next().raw().size());
        }
        // Three batches of 100 ten-byte rows, plus the reader's buffers: far from "the whole file".
        assertTrue(file.served < 64 * 1024, "read " + file.served + " bytes for 300 rows");
    }

    /**
     * 20 lines of 3,000 characters with a bound of 10,000 characters: batches of 4 lines (the one that reaches the bound
     * is the last), never 20. Without the bound a batch of {@code vigil.batch.size} long lines was what ran the
     * service out of memory.
     */
    @Test
    void split_longLines_batchEndsAtTheCharacterBound() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            jsonl.append("{\"id\":\"l").append(i).append("\",\"pad\":\"").append("é".repeat(2_970)).append("\"}\n");
        }
        FileBatches small = batches(Map.of("vigil.batch.size", "100", "vigil.inbox.max-line-length", "10000",
                "vigil.inbox.max-batch-chars", "10000", "vigil.inbox.read-lock-interval", "0"));
        Iterator<PointBatch> it = split(small, write("long.jsonl", jsonl.toString()));
        List<Integer> sizes = new ArrayList<>();
        it.forEachRemaining(b -> sizes.add(b.raw().size() + b.rejections().size()));
        assertEquals(List.of(4, 4, 4, 4, 4), sizes);
    }

    @Test
    void split_badLines_becomeRejectionsAndTheFileGoesOn() throws Exception {
        String csv = "id,a\n1,2\n2,3,4\n\n3," + "9".repeat(20_000) + "\n4,5\n";
        Iterator<PointBatch> it = split(batches(), write("mixed.csv", csv));
        PointBatch batch = it.next();
        assertEquals(2, batch.raw().size());
        assertEquals(2, batch.rejections().size());
        assertTrue(batch.rejections().stream().allMatch(r -> r.rule() == RejectReason.MALFORMED));
        assertEquals("mixed.csv", batch.client());
        assertFalse(it.hasNext());
    }

    /**
     * Lines appended after the file was taken, once the reader has passed the end it had then, are read too: the
     * file would otherwise move to .done with them unscored.
     */
    @Test
    void split_linesAppendedWhileRead_areRead() throws Exception {
        Path file = write("growing.csv", "id,a\n1,1\n2,2\n");
        Iterator<PointBatch> it = split(batches(Map.of("vigil.batch.size", "2", "vigil.inbox.read-lock-interval",
                "200")), file);
        assertEquals(2, it.next().raw().size());
        Files.writeString(file, "3,3\n4,4\n5,5\n", StandardOpenOption.APPEND);
        int rest = 0;
        while (it.hasNext()) {
            rest += it.next().raw().size();
        }
        assertEquals(3, rest);
    }

    @Test
    void split_jsonLinesWithoutIds_eachPointNamedByFileAndLine() throws Exception {
        Path file = write("r.jsonl", "{\"a\":1}\n\n{\"id\":\"own\",\"a\":2}\n{\"a\":3}\n");
        PointBatch batch = split(batches(), file).next();
        assertEquals(List.of("r.jsonl:1", "own", "r.jsonl:4"),
                batch.raw().stream().map(p -> p.id()).toList());
    }

    @Test
    void split_unreadableFile_failsTheFile() throws Exception {
        Path directory = Files.createDirectory(inbox.resolve("broken.jsonl"));
        Iterator<PointBatch> it = split(batches(), directory);
        assertThrows(UncheckedIOException.class, it::hasNext);
        assertThrows(IllegalArgumentException.class, () -> split(batches(), write("notes.txt", "x")));
    }
}
