package dev.vigil.camel.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RejectReason;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The inbox splitter streams: a batch needs only its own lines, whatever the size of the file. */
class FileBatchesTest {
    private final FileBatches batches = new FileBatches(new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
            .withSources(new PropertiesConfigSource(Map.of("vigil.batch.size", "100",
                    "vigil.inbox.max-line-length", "10000"), "test", 500)).build().getConfigMapping(VigilConfig.class));

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

    private Iterator<PointBatch> split(String name, InputStream in) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME_ONLY, name);
        exchange.getMessage().setBody(in);
        return batches.split(exchange);
    }

    @Test
    void split_endlessFile_readsOnlyWhatTheFirstBatchesNeed() throws Exception {
        EndlessCsv file = new EndlessCsv();
        Iterator<PointBatch> it = split("endless.csv", file);
        for (int i = 0; i < 3; i++) {
            assertEquals(100, it.next().raw().size());
        }
        // Three batches of 100 ten-byte rows, plus the reader's buffers: far from "the whole file".
        assertTrue(file.served < 64 * 1024, "read " + file.served + " bytes for 300 rows");
    }

    @Test
    void split_badLines_becomeRejectionsAndTheFileGoesOn() throws Exception {
        String csv = "id,a\n1,2\n2,3,4\n\n3," + "9".repeat(20_000) + "\n4,5\n";
        Iterator<PointBatch> it = split("mixed.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        PointBatch batch = it.next();
        assertEquals(2, batch.raw().size());
        assertEquals(2, batch.rejections().size());
        assertTrue(batch.rejections().stream().allMatch(r -> r.rule() == RejectReason.MALFORMED));
        assertEquals("mixed.csv", batch.client());
        assertTrue(!it.hasNext());
    }

    @Test
    void split_jsonLinesWithoutIds_eachPointNamedByFileAndLine() throws Exception {
        String jsonl = "{\"a\":1}\n\n{\"id\":\"own\",\"a\":2}\n{\"a\":3}\n";
        PointBatch batch = split("r.jsonl", new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8))).next();
        assertEquals(java.util.List.of("r.jsonl:1", "own", "r.jsonl:4"),
                batch.raw().stream().map(p -> p.id()).toList());
    }

    @Test
    void split_unreadableFile_failsTheFile() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk error");
            }
        };
        Iterator<PointBatch> it = split("broken.jsonl", broken);
        assertThrows(UncheckedIOException.class, it::hasNext);
        assertThrows(IllegalArgumentException.class, () -> split("notes.txt", InputStream.nullInputStream()));
    }
}
