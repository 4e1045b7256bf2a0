package dev.vigil.service.checkpoint;

import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.grade.ScoreRanksStateCodec;
import dev.vigil.detect.grade.ScoreRanksStateMapper;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineStateFormat;
import dev.vigil.detect.state.StateFormat;
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

    /** A key's state as bytes: schema, points learned, and the states of its pipeline, fallback and ranks. */
    record KeyState(String key, String[] schema, long learned, byte[] pipeline, byte[] fallback, byte[] ranks) {
    }

    /** How the pipeline and fallback blocks are written, and read back ({@link Checkpoints}). */
    StateFormat<Pipeline> PIPELINE_FORMAT = new PipelineStateFormat();
    /** How the score ranks block is written, and read back. */
    StateFormat<ScoreRanks> RANKS_FORMAT = StateFormat.of(ScoreRanks.class, new ScoreRanksStateMapper(),
            new ScoreRanksStateCodec());

    /** The bytes of a pipeline's state; no pipeline, none. */
    static byte[] bytesOf(Pipeline pipeline) throws IOException {
        return bytesOf(PIPELINE_FORMAT, pipeline);
    }

    /** The bytes of the score ranks' state; no ranks, none. */
    static byte[] bytesOf(ScoreRanks ranks) throws IOException {
        return bytesOf(RANKS_FORMAT, ranks);
    }

    private static <T> byte[] bytesOf(StateFormat<T> format, T part) throws IOException {
        if (part == null) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        format.write(new DataOutputStream(bytes), part);
        return bytes.toByteArray();
    }
}
