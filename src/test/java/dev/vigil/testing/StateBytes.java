package dev.vigil.testing;

import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineStateFormat;
import dev.vigil.detect.state.StateFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A state part as the bytes a checkpoint holds, and back. */
public final class StateBytes {
    private StateBytes() {
    }

    /** A pipeline's state, as a checkpoint's pipeline block holds it. */
    public static byte[] of(Pipeline p) throws IOException {
        return of(new PipelineStateFormat(), p);
    }

    public static void restore(Pipeline p, byte[] checkpoint) throws IOException {
        restore(new PipelineStateFormat(), p, checkpoint);
    }

    public static <T> byte[] of(StateFormat<T> format, T part) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            format.write(out, part);
        }
        return bytes.toByteArray();
    }

    public static <T> void restore(StateFormat<T> format, T part, byte[] checkpoint) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            format.read(in, part);
        }
    }
}
