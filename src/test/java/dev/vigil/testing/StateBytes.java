package dev.vigil.testing;

import dev.vigil.detect.state.Stateful;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A state part as the bytes a checkpoint holds, and back. */
public final class StateBytes {
    private StateBytes() {
    }

    public static byte[] of(Stateful s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            s.writeState(out);
        }
        return bytes.toByteArray();
    }

    public static void restore(Stateful s, byte[] checkpoint) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            s.readState(in);
        }
    }
}
