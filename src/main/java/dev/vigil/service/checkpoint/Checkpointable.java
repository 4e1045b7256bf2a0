package dev.vigil.service.checkpoint;

import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.KeyGradingStateCodec;
import dev.vigil.detect.grade.KeyGradingStateMapper;
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

    /**
     * A key's state as bytes: schema, points learned, and the states of its pipeline, fallback, score ranks and the
     * rest of its grading ({@link dev.vigil.detect.grade.KeyGrading}).
     */
    record KeyState(String key, String[] schema, long learned, byte[] pipeline, byte[] fallback, byte[] ranks,
            byte[] grading) {
    }

    /** How the pipeline and fallback blocks are written, and read back ({@link Checkpoints}). */
    StateFormat<Pipeline> PIPELINE_FORMAT = new PipelineStateFormat();
    /** How the score ranks block is written, and read back. */
    StateFormat<ScoreRanks> RANKS_FORMAT = StateFormat.of(ScoreRanks.class, new ScoreRanksStateMapper(),
            new ScoreRanksStateCodec());
    /** How the rest of the key's grading (points graded, likelihood, range, open event) is written, and read back. */
    StateFormat<KeyGrading> GRADING_FORMAT = StateFormat.of(KeyGrading.class, new KeyGradingStateMapper(),
            new KeyGradingStateCodec());

    /** The bytes of a pipeline's state; no pipeline, none. */
    static byte[] bytesOf(Pipeline pipeline) throws IOException {
        return bytesOf(PIPELINE_FORMAT, pipeline);
    }

    /** The bytes of the score ranks' state; no ranks, none. */
    static byte[] bytesOf(ScoreRanks ranks) throws IOException {
        return bytesOf(RANKS_FORMAT, ranks);
    }

    /** The bytes of the rest of the key's grading; no grading, none. */
    static byte[] bytesOf(KeyGrading grading) throws IOException {
        return bytesOf(GRADING_FORMAT, grading);
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
