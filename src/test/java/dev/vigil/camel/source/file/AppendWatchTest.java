package dev.vigil.camel.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.service.monitor.VigilMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines appended to a file after it was read come back into the inbox, complete lines only, CSV with its header. */
class AppendWatchTest {
    @TempDir
    Path inbox;

    private List<String> appendedFiles() throws IOException {
        try (Stream<Path> all = Files.list(inbox)) {
            return all.map(p -> p.getFileName().toString()).filter(n -> n.contains(".appended-")).sorted().toList();
        }
    }

    @Test
    void check_linesAppendedToADoneFile_becomeANewInboxFile() throws Exception {
        Path done = Files.createDirectories(inbox.resolve(InboxFiles.DONE)).resolve("day.csv");
        Files.writeString(done, "id,t\n1,1\n2,2\n");
        AppendWatch watch = new AppendWatch(inbox, 1000, new VigilMetrics(new SimpleMeterRegistry()));
        watch.watch("day.csv", Files.size(done));
        watch.check();
        assertEquals(List.of(), appendedFiles(), "nothing appended yet");

        Files.writeString(done, "3,3\n4,4\n5,", StandardOpenOption.APPEND);
        watch.check();
        List<String> first = appendedFiles();
        assertEquals(1, first.size());
        assertEquals("id,t\n3,3\n4,4\n", Files.readString(inbox.resolve(first.get(0))), "complete lines, with the header");

        Files.writeString(done, "5\n", StandardOpenOption.APPEND);
        Files.delete(inbox.resolve(first.get(0))); // read by the inbox meanwhile
        watch.check();
        List<String> second = appendedFiles();
        assertEquals(1, second.size());
        assertEquals("id,t\n5,5\n", Files.readString(inbox.resolve(second.get(0))));
    }
}
