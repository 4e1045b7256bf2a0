package dev.vigil.camel.source.file;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.point.PointBatch;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.InputStream;
import java.util.Iterator;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Splits an inbox file into batches while streaming it ({@link LineBatches}): the route's splitter pulls one batch
 * of {@code vigil.batch.size} lines at a time. The file name is the client (for throttling and rejections).
 */
@ApplicationScoped
@Named("fileBatches")
@RegisterForReflection
public class FileBatches {
    static final String SOURCE = "file";

    private final int batchSize;
    private final int maxLineLength;
    private final String defaultKey;

    @Inject
    public FileBatches(VigilConfig config) {
        this.batchSize = config.batch().size();
        this.maxLineLength = config.inbox().maxLineLength();
        this.defaultKey = config.keys().defaultKey();
    }

    public Iterator<PointBatch> split(Exchange exchange) throws InvalidPayloadException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
        return new LineBatches(in, name, SOURCE, name, defaultKey, true, batchSize, maxLineLength);
    }
}
