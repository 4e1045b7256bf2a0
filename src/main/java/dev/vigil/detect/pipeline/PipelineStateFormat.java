package dev.vigil.detect.pipeline;

import dev.vigil.detect.state.StateFormat;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How a {@link Pipeline} is checkpointed: a header naming its stages and dimension, then each transform's part in
 * order, then the model's, each written by the format of its type ({@link TransformType#stateFormat()},
 * {@link dev.vigil.detect.ModelProvider#stateFormat()}). The pipeline itself keeps nothing else; its parts carry
 * their own headers, so a part of another type or configuration is refused where it starts.
 */
public final class PipelineStateFormat implements StateFormat<Pipeline> {
    /**
     * Version of the pipeline state as a whole; raise it whenever the format of any part changes (each part also
     * carries its own tag), so {@link PipelineSpec#fingerprint()} changes with it.
     */
    public static final int VERSION = 1;
    private static final String TAG = "pipeline/" + VERSION;

    @Override
    public void write(DataOutput out, Pipeline p) throws IOException {
        StateIo.writeHeader(out, header(p));
        PipelineSpec spec = p.spec();
        for (int i = 0; i < p.transforms.length; i++) {
            spec.preprocessing().get(i).stateFormat().write(out, p.transforms[i]);
        }
        spec.modelType().stateFormat().write(out, p.model());
    }

    @Override
    public void read(DataInput in, Pipeline p) throws IOException {
        StateIo.readHeader(in, header(p));
        PipelineSpec spec = p.spec();
        for (int i = 0; i < p.transforms.length; i++) {
            spec.preprocessing().get(i).stateFormat().read(in, p.transforms[i]);
        }
        spec.modelType().stateFormat().read(in, p.model());
    }

    private static String header(Pipeline p) {
        return StateIo.header(TAG, p.dimensions(), "stages=" + p.description());
    }
}
