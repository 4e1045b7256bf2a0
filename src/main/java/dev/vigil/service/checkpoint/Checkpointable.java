package dev.vigil.service.checkpoint;

import dev.vigil.detect.state.Stateful;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What {@link Checkpoints} saves: the owner of a key's state (the entity registry's entries) takes the snapshot
 * itself, under its own locks, so the checkpoint layer never needs to know how entities are kept.
 */
public interface Checkpointable {
    String key();

    /** The key's state now, or null when there is nothing to keep yet (no pipeline built). */
    KeyState snapshot() throws IOException;

    /**
     * A key's state as bytes: schema, points learned, and the states of its pipeline, fallback, score ranks and the
     * rest of its grading ({@link dev.vigil.detect.grade.KeyGrading}).
     */
    record KeyState(String key, String[] schema, long learned, byte[] pipeline, byte[] fallback, byte[] ranks,
            byte[] grading) {
    }

    /** The bytes of one state part; an absent part is empty. */
    static byte[] bytesOf(Stateful part) throws IOException {
        if (part == null) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        part.writeState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
